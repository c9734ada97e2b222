"""Reading codes: decoders, image variants, the camera's code watch, USB readers that type (HID
wedge).
"""
