"""URLs of the tryghedsindeks app."""
app_name = "tryghedsindeks"
urlpatterns: list = []
