"""therapy-timer: ice, moist heat and short walks after a lower back spasm, on time."""

__version__ = "0.3.1"
APP_NAME = "therapy-timer"
