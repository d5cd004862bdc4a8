// Package layout is the frame of every page: <head>, header with search
// and language picker, main landmark and footer.
package layout

// Page is what the frame needs to know about the page inside it.
type Page struct {
	Title       string      // the page's own title; the site name is appended
	Description string      // meta description, localized
	Canonical   string      // absolute URL, or "" for pages search engines should not index
	Alternates  []Alternate // hreflang links, x-default included
	NoIndex     bool        // search results and errors
	SiteName    string
	Rest        string // the path after /{lang}, with its query, for the language picker
	Query       string // the search box's text
	CSS         string // asset URLs
	JS          string
	Icon        string
	Languages   []Language // the picker, in locales.tsv order
}

// Alternate is a <link rel="alternate" hreflang>.
type Alternate struct {
	Hreflang string
	Href     string
}

// Language is one entry of the picker.
type Language struct {
	Code    string
	Native  string
	Dir     string
	Href    string
	Current bool
}
