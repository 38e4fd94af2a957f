package server

import (
	"encoding/json"
	"net/http"
	"strings"
)

// graphiqlHTML loads GraphiQL from a CDN (pinned to its major version) and
// points it at /graphql on the same origin. __QUERY__ and __HEADERS__
// are replaced by JSON strings: the first query and request headers of a new
// tab. Headers are not kept in the browser's storage, so a reload takes
// the server's current ones.
const graphiqlHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Society registry · GraphiQL</title>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
<script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
<script crossorigin src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).href });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: __QUERY__,
      defaultHeaders: __HEADERS__,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: true,
    })
  );
</script>
</body>
</html>
`

// The first query of a new GraphiQL tab, after a comment that says how
// the page authenticates.
const (
	graphiqlDemoNote = `# The society registry's GraphQL API, in demo mode.
#
# The Headers tab below holds the demo administrator's API token, made
# when the server started, so this query runs as it is (Ctrl-Enter).
# Put the demo branch secretary's token there instead (the server printed
# both) to see what a secretary of the Cardiology Branch sees.
`
	graphiqlTokenNote = `# The society registry's GraphQL API.
#
# Every request needs an API token. Open the Headers tab below and enter
#
#   {"Authorization": "Bearer reg_..."}
#
# then run the query (Ctrl-Enter). An administrator makes tokens with
#
#   registry token create --account NAME --role READER
`
	graphiqlQuery = `
query Branches {
  organizations(kind: ACADEMIC_BRANCH, first: 5) {
    totalCount
    nodes { name currentTerm { name } }
  }
}
`
)

// graphiqlPage builds the GraphiQL page: with a token, its headers carry
// it; without, they are empty and the query's comment says how to send
// one.
func graphiqlPage(token string) []byte {
	note, headers := graphiqlTokenNote, ""
	if token != "" {
		note = graphiqlDemoNote
		h, _ := json.MarshalIndent(map[string]string{"Authorization": "Bearer " + token}, "", "  ")
		headers = string(h)
	}
	return []byte(strings.NewReplacer(
		"__QUERY__", jsString(note+graphiqlQuery),
		"__HEADERS__", jsString(headers),
	).Replace(graphiqlHTML))
}

// jsString is s as a JavaScript string literal safe inside a <script>
// element: encoding/json escapes <, > and & (so no "</script>") and the
// line separators JavaScript once refused.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// serveGraphiQL serves the GraphiQL page; no store may keep it, since in
// demo mode it holds a token.
func (s *server) serveGraphiQL(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(s.graphiql)
}
