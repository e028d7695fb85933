"""controlroom"""
