"""Domain services: every surface (kiosk, SMS, admin, API) changes data only through these.

Services add and flush; the caller's transaction boundary commits or rolls back.
"""
