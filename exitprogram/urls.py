"""URLs of the exitprogram app."""
app_name = "exitprogram"
urlpatterns: list = []
