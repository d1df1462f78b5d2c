"""The OpenAPI schema and the interactive docs (Swagger UI), served from our own static files.

Swagger UI comes from drf-spectacular-sidecar (no CDN, works offline). The split view delivers its
start-up script as a separate file, so no inline script is needed; Swagger UI does set inline
styles, so this page alone may use them (CSP `style-src 'unsafe-inline'`).
"""

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

schema_view = SpectacularAPIView.as_view()
docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema"))
