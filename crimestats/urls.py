"""URLs of the crimestats app."""
app_name = "crimestats"
urlpatterns: list = []
