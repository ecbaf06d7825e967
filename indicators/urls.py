"""URLs of the indicators app."""
app_name = "indicators"
urlpatterns: list = []
