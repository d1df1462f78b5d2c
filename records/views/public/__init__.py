"""What readers see: the home page, lists with facets, record pages, one search, the sitemap and
robots.txt. Every read starts from published records; the queries live in records/reads/."""
