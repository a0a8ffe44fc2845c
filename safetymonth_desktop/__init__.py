"""安全生产月 数据填报与总结 — a desktop application for a district safety office's Safety Production Month."""

__version__ = "0.1.0"
APP_NAME = "安全生产月数据填报与总结"
