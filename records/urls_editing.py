"""What signed-in researchers and reviewers use: proposing, reviewing, history (the workspace)."""

urlpatterns: list = []
