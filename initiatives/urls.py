from django.urls import path

from . import manage_views, views

app_name = "initiatives"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("source-check/", views.reconciliation, name="reconciliation"),
    # The coordinators' manage pages (initiatives.manage_views)
    path("manage/", manage_views.index, name="manage"),
    path("manage/initiatives/new/", manage_views.initiative_create, name="manage_initiative_create"),
    path("manage/initiatives/<int:pk>/", manage_views.initiative_edit, name="manage_initiative"),
    path("manage/initiatives/<int:initiative_pk>/budget-lines/new/", manage_views.budget_line_create,
         name="manage_budget_line_create"),
    path("manage/budget-lines/<int:pk>/", manage_views.budget_line_edit, name="manage_budget_line"),
    path("manage/budget-lines/<int:pk>/delete/", manage_views.budget_line_delete, name="manage_budget_line_delete"),
    path("manage/budget/", manage_views.budget_table, name="manage_budget"),
    path("manage/focus-areas/", manage_views.focus_area_list, name="manage_focus_areas"),
    path("manage/focus-areas/new/", manage_views.focus_area_create, name="manage_focus_area_create"),
    path("manage/focus-areas/<int:pk>/", manage_views.focus_area_edit, name="manage_focus_area"),
    path("manage/effect-goals/", manage_views.effect_goal_list, name="manage_effect_goals"),
    path("manage/effect-goals/new/", manage_views.effect_goal_create, name="manage_effect_goal_create"),
    path("manage/effect-goals/<int:pk>/", manage_views.effect_goal_edit, name="manage_effect_goal"),
    path("manage/indicators/", manage_views.indicator_list, name="manage_indicators"),
    path("manage/indicators/new/", manage_views.indicator_create, name="manage_indicator_create"),
    path("manage/indicators/<int:pk>/", manage_views.indicator_edit, name="manage_indicator"),
]
