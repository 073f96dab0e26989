"""lianzheng_desktop：廉政风险防控登记表的桌面程序。"""

__version__ = "0.1.0"
