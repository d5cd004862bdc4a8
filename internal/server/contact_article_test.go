package server

import (
	"regexp"
	"strings"
	"testing"

	"helpcenter/articles"
	"helpcenter/internal/contact"
	"helpcenter/internal/i18n"
)

// TestContactArticleMatchesForm: in every language, the contact-support
// article describes the real form. Its list of request types names the
// form's types, in its order, with the form's own words; the steps of
// "send a request from this Help Center" start at the link every page
// has and end at the form's send button.
func TestContactArticleMatchesForm(t *testing.T) {
	ts := newTestServer(t)
	bundle := ts.srv.Site().Bundle
	bold := regexp.MustCompile(`\*\*([^*]+)\*\*`)
	checked := 0
	for _, l := range i18n.All {
		data, err := articles.FS.ReadFile("contact-support/" + l.Code + ".md")
		if err != nil {
			continue // not translated: the English article is shown
		}
		checked++
		loc := bundle.For(l.Code)
		var types []string
		var steps [][]string // numbered lists, each as its items
		inList := false
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "- **") {
				if m := bold.FindStringSubmatch(line); m != nil {
					types = append(types, m[1])
				}
			}
			if len(line) > 2 && line[0] >= '1' && line[0] <= '9' && strings.HasPrefix(line[1:], ". ") {
				if !inList || line[0] == '1' {
					steps = append(steps, nil)
				}
				steps[len(steps)-1] = append(steps[len(steps)-1], line)
				inList = true
			} else if line != "" {
				inList = false
			}
		}
		var want []string
		for _, k := range contact.Kinds {
			want = append(want, loc.T("contact.kind."+k))
		}
		if strings.Join(types, "|") != strings.Join(want, "|") {
			t.Errorf("%s: the article's request types %q, the form's %q", l.Code, types, want)
		}
		var form []string
		for _, s := range steps {
			if len(s) == 7 {
				form = s
			}
		}
		if form == nil {
			t.Errorf("%s: no 7-step list for the Help Center's form", l.Code)
			continue
		}
		first, last := bold.FindStringSubmatch(form[0]), bold.FindStringSubmatch(form[6])
		if first == nil || first[1] != loc.T("layout.contact") {
			t.Errorf("%s: step 1 names %q, the link on every page reads %q", l.Code, first, loc.T("layout.contact"))
		}
		if last == nil || last[1] != loc.T("contact.submit") {
			t.Errorf("%s: the last step names %q, the send button reads %q", l.Code, last, loc.T("contact.submit"))
		}
	}
	if checked != len(i18n.All) {
		t.Errorf("the contact-support article exists in %d of %d languages", checked, len(i18n.All))
	}
}
