"""What readers see: home, lists, records, search, sitemap (filled in by the public-site work)."""

urlpatterns: list = []
