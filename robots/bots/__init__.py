"""robots/bots"""
