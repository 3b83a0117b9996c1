"""(area package)"""
