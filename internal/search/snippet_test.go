package search

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

func newFoldedText(f *folder, s string) foldedText {
	var fb foldedTextBuilder
	fb.b.Grow(len(s))
	f.fold(s, fb.add)
	return fb.finish(len(s))
}

// snip makes the snippet of body for query the way Search does.
func snip(body, query string) string {
	var tk tokenizer
	body = strings.Join(strings.Fields(body), " ")
	ft := newFoldedText(&tk.f, body)
	return snippet(body, &ft, parseQuery(&tk, query))
}

// visible returns the text a reader sees of a snippet.
func visible(s string) string {
	s = strings.ReplaceAll(s, "<mark>", "")
	s = strings.ReplaceAll(s, "</mark>", "")
	return html.UnescapeString(s)
}

// marked returns the texts inside <mark> of a snippet, unescaped.
func marked(s string) []string {
	var out []string
	for _, part := range strings.Split(s, "<mark>")[1:] {
		m, _, _ := strings.Cut(part, "</mark>")
		out = append(out, html.UnescapeString(m))
	}
	return out
}

// checkSafe fails unless s is escaped text with balanced, unnested marks.
func checkSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("snippet is not valid UTF-8: %q", s)
	}
	open := false
	for rest := s; rest != ""; {
		i := strings.IndexAny(rest, "<>")
		if i < 0 {
			break
		}
		switch {
		case strings.HasPrefix(rest[i:], "<mark>") && !open:
			open, rest = true, rest[i+len("<mark>"):]
		case strings.HasPrefix(rest[i:], "</mark>") && open:
			open, rest = false, rest[i+len("</mark>"):]
		default:
			t.Fatalf("snippet has raw markup at %q: %q", rest[i:min(len(rest), i+20)], s)
		}
	}
	if open {
		t.Errorf("snippet leaves <mark> open: %q", s)
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 40)
	tests := []struct {
		name, body, query string
		marks             []string // the marked texts, in order
		contains          []string // in the visible text
		starts, ends      bool     // "…" at the start, at the end
	}{
		{
			name: "accents kept", body: "Puede cerrar la sesión en el ordenador.", query: "cerrar sesion",
			marks: []string{"cerrar", "sesión"},
		},
		{
			name: "combining accent in the original", body: "Cierre la sesio\u0301n ahora.", query: "sesion",
			marks: []string{"sesio\u0301n"},
		},
		{
			name: "prefix marks the whole word", body: "Todas las sesiones abiertas.", query: "sesion",
			marks: []string{"sesiones"},
		},
		{
			name: "case folded", body: "LOG OUT of the app. Log out again.", query: "log out",
			marks: []string{"LOG", "OUT", "Log", "out"},
		},
		{
			name: "word boundaries", body: "A catalog is not a log.", query: "log",
			marks: []string{"log"},
		},
		{
			name: "sharp s", body: "Die Straße ist lang.", query: "strasse",
			marks: []string{"Straße"},
		},
		{
			name: "turkish dotted i", body: "Hesabı SİL düğmesine dokunun.", query: "sil",
			marks: []string{"SİL"},
		},
		{
			name: "arabic harakat in the original", body: "اضغط على تَسْجِيل الخروج الآن", query: "تسجيل",
			marks: []string{"تَسْجِيل"},
		},
		{
			name: "chinese two characters", body: "如何退出帳號？您會退出所有群組。", query: "退出",
			marks: []string{"退出", "退出"},
		},
		{
			name: "chinese run", body: "如何退出帳號？您會退出所有群組。", query: "退出帳號",
			marks: []string{"退出帳號"},
		},
		{
			name: "thai", body: "แตะ ออกจากระบบ เพื่อยืนยัน", query: "ออกจากระบบ",
			marks: []string{"ออกจากระบบ"},
		},
		{
			name: "devanagari", body: "सेटिंग्स में लॉग आउट पर टैप करें।", query: "लॉग आउट",
			marks: []string{"लॉग", "आउट"},
		},
		{
			name: "html in the body is escaped", body: `Type <script>alert("x")</script> & "quotes" 'here'.`, query: "script",
			marks: []string{"script", "script"}, contains: []string{`<script>alert("x")</script> & "quotes" 'here'`},
		},
		{
			name: "match only in the title shows the start", body: long, query: "nothing",
			marks: nil, contains: []string{"Lorem ipsum"}, ends: true,
		},
		{
			name: "match far in the body", body: long + "Find the needle here. " + long, query: "needle",
			marks: []string{"needle"}, starts: true, ends: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := snip(tt.body, tt.query)
			checkSafe(t, got)
			if m := marked(got); strings.Join(m, "|") != strings.Join(tt.marks, "|") {
				t.Errorf("marks %q, want %q in %q", m, tt.marks, got)
			}
			text := visible(got)
			for _, c := range tt.contains {
				if !strings.Contains(text, c) {
					t.Errorf("snippet %q does not contain %q", text, c)
				}
			}
			if s := strings.HasPrefix(text, ellipsis); s != tt.starts {
				t.Errorf("snippet %q: starts with ellipsis %v, want %v", text, s, tt.starts)
			}
			if e := strings.HasSuffix(text, ellipsis); e != tt.ends {
				t.Errorf("snippet %q: ends with ellipsis %v, want %v", text, e, tt.ends)
			}
		})
	}
}

// TestSnippetLength checks the excerpt's size and that it is cut at word
// boundaries in scripts with spaces.
func TestSnippetLength(t *testing.T) {
	words := strings.Fields(strings.Repeat("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda ", 30))
	han := strings.Repeat("您的聊天內容仍會保留在手機上", 40)
	tests := []struct {
		name, body, query string
		spaced            bool
	}{
		{"latin start", strings.Join(words, " "), "alpha", true},
		{"latin middle", strings.Join(words[:150], " ") + " needle " + strings.Join(words[150:], " "), "needle", true},
		{"latin end", strings.Join(words, " ") + " needle", "needle", true},
		{"no match", strings.Join(words, " "), "zzz", true},
		{"han middle", han + "退出帳號" + han, "退出", false},
		{"han start", "退出" + han, "退出", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := snip(tt.body, tt.query)
			checkSafe(t, got)
			text := strings.TrimSuffix(strings.TrimPrefix(visible(got), ellipsis), ellipsis)
			if n := utf8.RuneCountInString(text); n < 150 || n > 220 {
				t.Errorf("snippet has %d characters, want 150 to 220: %q", n, text)
			}
			if tt.query != "zzz" && !strings.Contains(got, "<mark>") {
				t.Errorf("snippet has no match: %q", got)
			}
			if tt.spaced {
				padded := " " + tt.body + " "
				first, last := strings.Fields(text)[0], strings.Fields(text)[len(strings.Fields(text))-1]
				if !strings.Contains(padded, " "+first+" ") || !strings.Contains(padded, " "+last+" ") {
					t.Errorf("snippet is cut inside a word: %q", text)
				}
			}
		})
	}
}
