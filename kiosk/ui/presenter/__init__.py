"""The Qt side that decides: the presenter, the intents it takes, the view it hands the screens,
and the workers it runs.
"""
