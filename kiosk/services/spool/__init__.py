"""What waits on disk: the encrypted outbox and held batches, keys, durable writes, the delivery
worker.
"""
