"""URLs of the areas app."""
app_name = "areas"
urlpatterns: list = []
