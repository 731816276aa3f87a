"""therapy-timer: ice, moist heat and short walks after a lower back spasm, on time."""

__version__ = "0.3.0"
APP_NAME = "therapy-timer"
