package server

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpcenter/internal/config"
)

// marker is the markup every payload carries: if it ever comes back
// unescaped, input reached the page as HTML.
const marker = "<hc-x>"

// hostile is one request sent byte for byte over a raw connection, so that
// nothing (no client library) cleans the path or the headers first.
type hostile struct {
	name   string
	method string // GET when empty
	target string // the request-target, as sent
	header []string
	body   string
	// netHTTP marks requests that Go's HTTP server answers itself before
	// any handler runs: a bare 400 for a malformed request line, escape
	// or header, an empty 200 for OPTIONS *. Those carry no body to
	// protect and cannot carry our headers.
	netHTTP bool
}

func hostileCases() []hostile {
	var cs []hostile
	add := func(c hostile) { cs = append(cs, c) }
	get := func(name, target string, header ...string) { add(hostile{name: name, target: target, header: header}) }

	// Paths: traversal in every spelling, overlong UTF-8, NUL, huge and
	// odd segments, markup, bidi and control characters.
	for _, p := range []string{
		"/../../../../etc/passwd", "/static/../../../etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd",
		"/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/%252e%252e%252fetc%252fpasswd",
		"/..%5c..%5c..%5cwindows%5cwin.ini", "/static/..%5c..%5cgo.mod", "/static/%2e%2e/%2e%2e/go.mod",
		"/static/..%c0%af..%c0%afetc/passwd", "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/%e0%80%ae%e0%80%ae/etc/passwd",
		"/%f0%80%80%ae%f0%80%80%ae/", "/en/articles/..%2f..%2f..%2fetc%2fpasswd", "/en/articles/%2e%2e",
		"/en/articles/..", "/en/articles/.", "/en/../../etc/passwd", "/en/%2e%2e/%2e%2e/etc/passwd",
		"/static/app.css%00.html", "/en/articles/log-out%00", "/en%00/", "/%00", "/en/articles/log-out%0d%0aSet-Cookie:%20x=1",
		"/en/articles/log-out%0aLocation:%20https://evil.example", "/en/articles/%ff%fe%fd", "/en/articles/%c0%bc" + "script%c0%be",
		"/en/articles/" + strings.Repeat("a", 8000),
		"/" + strings.Repeat("x", 30000), "/en/search/" + strings.Repeat("%e2%80%ae", 2000), strings.Repeat("/a", 3000),
		"/en/articles/" + url.PathEscape(marker), "/en/categories/" + url.PathEscape(marker), "/" + url.PathEscape(marker) + "/",
		"/en/articles/%22%3E%3Chc-x%3E", "/en/articles/'%3E%3Chc-x%3E", "/en/articles/%E2%80%AEtxt.exe", "/en/articles/log%E2%80%8Bout",
		"/en/articles/%EF%BB%BFlog-out", "/en/articles/%CC%81%CC%81%CC%81", "/ar/articles/%D8%AA%D8%B3%D8%AC%D9%8A%D9%84",
		"/en/articles/%F0%9F%98%80", "/en/articles/%F4%90%80%80", "/en/articles/%ED%A0%80", "/EN/ARTICLES/LOG-OUT", "/En//Articles///log-out",
		"/./en/./articles/./log-out", "/en/articles/log-out/", "/en/articles/log-out;jsessionid=1", "/en/articles/log-out/..;/..;/",
		"/zh_TW/articles/log-out", "/zh-Hant-TW/", "/xx-yy/articles/a", "/zz/", "/en-US/", "/.git/config", "/.env", "/admin",
		"/wp-login.php", "/cgi-bin/..%2f..%2fbin/sh", "/server-status", "/sitemap.xml/..", "/robots.txt%00", "/favicon.ico/%2e%2e",
		"/static/", "/static", "/static/nonexistent.css", "/static/app.css?v=" + url.QueryEscape(marker), "/opensearch.xml?" + url.QueryEscape(marker),
		"//evil.example/", "///evil.example/%2e%2e", "/%2f%2fevil.example", "/%5cevil.example", "/\\evil.example/",
		"/en/%2f%2fevil.example", "/language/" + url.PathEscape(marker), "/language/..%2f..%2f", "/language/zh_TW%00",
	} {
		get("path "+p[:min(len(p), 60)], p)
	}

	// The picker's return parameter: never a way off the site.
	for _, r := range []string{
		"//evil.example", "https://evil.example/", "/\\evil.example", "%2f%2fevil.example", "/%09/evil.example",
		"javascript:alert(1)", "/%0d%0aLocation:https://evil.example", "\\\\evil.example", "/" + marker, "http:evil.example",
		"/en/../../evil", "//%5cevil.example", "/search?q=" + marker, "\x00/evil", "/%E2%80%AE//evil.example",
	} {
		get("return "+r, "/language/de?return="+url.QueryEscape(r))
	}

	// Search: FTS5 syntax, SQL, markup, every script, bad bytes, sizes.
	for _, q := range []string{
		`"`, `""`, `"unterminated`, `*`, `a*`, `*a`, `NEAR(a b, 1)`, `NEAR(`, `a OR`, `OR`, `AND NOT`, `NOT a`, `^a`,
		`title:a`, `{title body}:a`, `a:b:c`, `(((a`, `a)))`, `-a`, `+a`, `\`, `' OR 1=1 --`, `'; DROP TABLE votes; --`,
		`" OR ""="`, `%`, `_`, marker, `"><hc-x>`, "\u202eevil", "a\u200bb", "\u0000", "%ff", "log out 🙂",
		"تسجيل الخروج", "登出帳號", "ログアウト", "लॉग आउट", "ออกจากระบบ", "выход", "a\u0301\u0301\u0301\u0301",
		strings.Repeat("a ", 2000), strings.Repeat("日", 5000), strings.Repeat(`"a" OR `, 300), strings.Repeat("(", 500),
	} {
		get("search "+q[:min(len(q), 40)], "/en/search?q="+url.QueryEscape(q))
	}
	for _, raw := range []string{
		"q=%ff%fe", "q=%c0%bcscript%c0%be", "q=%00", "q=%", "q=%zz", "q=a&q=b&q=" + url.QueryEscape(marker), "q[]=a",
		"page=-1&q=a", "page=99999999999999999999999&q=a", "page=abc&q=a", "page=1e9&q=a", "page=" + url.QueryEscape(marker),
		"&&&&", "=", "==&==", "q=a;page=2", strings.Repeat("x=1&", 3000), "q=" + strings.Repeat("%e2%80%ae", 3000),
	} {
		get("search query "+raw[:min(len(raw), 40)], "/en/search?"+raw)
	}
	for _, raw := range []string{"feedback=" + url.QueryEscape(marker), "feedback=yes", "feedback=no&x=" + url.QueryEscape(marker), "feedback=%ff"} {
		get("article query "+raw, "/en/articles/log-out?"+raw)
	}

	// Headers: Host, proxies' headers, language, caching, sizes.
	for _, h := range [][]string{
		{"Host", "evil.example"}, {"Host", "evil.example:443"}, {"Host", "[::1]:1"}, {"Host", "a" + strings.Repeat(".a", 2000)},
		{"X-Forwarded-Host", "evil.example"}, {"X-Forwarded-Proto", "javascript"}, {"X-Forwarded-For", marker},
		{"X-Forwarded-For", strings.Repeat("1.2.3.4, ", 2000)}, {"X-Real-IP", "evil"}, {"Forwarded", "for=evil;host=evil.example"},
		{"X-Original-URL", "/admin"}, {"X-Rewrite-URL", "//evil.example"}, {"X-HTTP-Method-Override", "DELETE"},
		{"Accept-Language", marker}, {"Accept-Language", strings.Repeat("zz-ZZ;q=0.5,", 2000)}, {"Accept-Language", "*"},
		{"Accept-Language", "en;q=abc,,,;q=;"}, {"Accept-Language", "\u202ear"}, {"Accept-Language", "zh-Hant-HK-u-nu-hanidec-x-private"},
		{"Accept", marker}, {"Accept", "application/json"}, {"Accept", strings.Repeat("text/html;q=0.1,", 1000)},
		{"Accept-Encoding", "gzip;q=abc, br;q=2, *"}, {"Accept-Encoding", strings.Repeat("x,", 5000)},
		{"Referer", "https://evil.example/" + marker}, {"User-Agent", strings.Repeat("A", 20000)}, {"User-Agent", marker},
		{"If-None-Match", `W/"` + marker + `"`}, {"If-Modified-Since", "yesterday"}, {"Range", "bytes=0-1,2-3,-1"},
		{"Content-Type", "text/html; charset=" + marker}, {"X-Request-ID", marker}, {"X-Request-ID", strings.Repeat("9", 60000)},
		{"Cookie", "hc_lang=" + url.QueryEscape(marker)}, {"Cookie", "hc_lang=../../etc"}, {"Cookie", "hc_lang=zz"},
		{"Cookie", "hc_lang=ar; hc_lang=he; hc_lang=ja"}, {"Cookie", "hc_reader=" + strings.Repeat("A", 4000)},
		{"Cookie", "hc_reader=%ff%fe"}, {"Cookie", "=;;=;hc_lang"}, {"Cookie", "hc_lang=\u202ear"}, {"Cookie", strings.Repeat("c=1; ", 3000)},
	} {
		for _, path := range []string{"/", "/en/articles/log-out"} {
			get(fmt.Sprintf("header %s %.30q %s", h[0], h[1], path), path, h...)
		}
	}

	// Feedback bodies: form, multipart, JSON.
	feedback := "/en/articles/log-out/feedback"
	formCT := []string{"Content-Type", "application/x-www-form-urlencoded"}
	for _, b := range []string{
		"helpful=" + url.QueryEscape(marker), "helpful=no&reason=" + url.QueryEscape(marker), "helpful=no&reason=unclear&step=reason&comment=" + url.QueryEscape(marker),
		"helpful=no&reason=unclear&step=reason&comment=%E2%80%AEevil", "helpful=no&reason=unclear&step=reason&comment=a%00b",
		"helpful=no&reason=unclear&step=reason&comment=%ff%fe", "helpful=no&reason=unclear&step=reason&comment=%c0%bc",
		"helpful=no&reason=unclear&step=reason&comment=" + strings.Repeat("x", 501), "helpful=no&reason=unclear&step=reason&comment=" + strings.Repeat("%F0%9F%99%82", 500),
		"helpful=yes&helpful=no", "helpful=yes&reason=unclear", "helpful=no&step=reason", "", "&&&", "helpful", "helpful=%zz",
		"helpful=yes;reason=unclear", strings.Repeat("a=1&", 16000), "comment=" + strings.Repeat("x", 70000), "helpful=yes&step=" + url.QueryEscape(marker),
	} {
		add(hostile{name: "form " + b[:min(len(b), 50)], method: "POST", target: feedback, header: formCT, body: b})
	}
	for _, b := range []string{"helpful=yes", "helpful=" + url.QueryEscape(marker)} {
		add(hostile{name: "form json " + b, method: "POST", target: feedback, header: append([]string{"Accept", "application/json"}, formCT...), body: b})
		add(hostile{name: "form other site " + b, method: "POST", target: feedback, header: append([]string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, formCT...), body: b})
		add(hostile{name: "form text/plain " + b, method: "POST", target: feedback, header: []string{"Content-Type", "text/plain"}, body: b})
		add(hostile{name: "form charset " + b, method: "POST", target: feedback, header: []string{"Content-Type", "application/x-www-form-urlencoded; charset=" + marker}, body: b})
	}
	part := func(boundary string, parts ...string) string {
		var sb strings.Builder
		for _, p := range parts {
			sb.WriteString("--" + boundary + "\r\n" + p + "\r\n")
		}
		sb.WriteString("--" + boundary + "--\r\n")
		return sb.String()
	}
	for name, mp := range map[string][2]string{
		"valid":            {"b", part("b", "Content-Disposition: form-data; name=\"helpful\"\r\n\r\nyes")},
		"markup":           {"b", part("b", "Content-Disposition: form-data; name=\"helpful\"\r\n\r\n"+marker)},
		"file part":        {"b", part("b", "Content-Disposition: form-data; name=\"comment\"; filename=\""+marker+".png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n")},
		"missing boundary": {"", "--x\r\n\r\n"},
		"truncated":        {"b", "--b\r\nContent-Disposition: form-data; name=\"helpful\"\r\n\r\nye"},
		"huge boundary":    {strings.Repeat("b", 70), part(strings.Repeat("b", 70), "Content-Disposition: form-data; name=\"helpful\"\r\n\r\nno")},
		"no disposition":   {"b", part("b", "\r\nyes")},
		"many parts":       {"b", part("b", strings.Split(strings.Repeat("Content-Disposition: form-data; name=\"x\"\r\n\r\n1|", 500), "|")...)},
		"bidi name":        {"b", part("b", "Content-Disposition: form-data; name=\"\u202ehelpful\"\r\n\r\nyes")},
	} {
		ct := "multipart/form-data"
		if mp[0] != "" {
			ct += "; boundary=" + mp[0]
		}
		add(hostile{name: "multipart " + name, method: "POST", target: feedback, header: []string{"Content-Type", ct}, body: mp[1]})
		add(hostile{name: "multipart contact " + name, method: "POST", target: "/en/contact", header: []string{"Content-Type", ct}, body: mp[1]})
		add(hostile{name: "multipart follow-up " + name, method: "POST", target: "/en/requests/" + strings.Repeat("0", 32), header: []string{"Content-Type", ct}, body: mp[1]})
	}
	// The contact form's own fields and files: markup in every field and in
	// a file name, a file that is no image, a forged draft and stamp.
	contactFields := func(kv ...string) string {
		var parts []string
		for i := 0; i+1 < len(kv); i += 2 {
			parts = append(parts, "Content-Disposition: form-data; name=\""+kv[i]+"\"\r\n\r\n"+kv[i+1])
		}
		return part("b", parts...)
	}
	for name, body := range map[string]string{
		"markup everywhere": contactFields("kind", marker, "device", marker, "description", strings.Repeat(marker, 10), "email", marker+"@x.example",
			"article", marker, "draft", marker, "stamp", marker, "step", "confirm", "remove", marker, "website", ""),
		"forged draft and stamp": contactFields("kind", "technical", "device", "web", "description", "a long enough description of a problem",
			"draft", strings.Repeat("f", 32), "stamp", "ffffffffffffffff.ffffffffffffffffffffffffffffffff", "step", "confirm"),
		"remove another draft's shot": contactFields("draft", strings.Repeat("a", 32), "remove", "1"),
		"file named markup":           part("b", "Content-Disposition: form-data; name=\"screenshots\"; filename=\""+marker+".png\"\r\nContent-Type: image/png\r\n\r\nnot a png"),
		"file no image":               part("b", "Content-Disposition: form-data; name=\"screenshots\"; filename=\"a.png\"\r\n\r\n%PDF-1.7"),
	} {
		add(hostile{name: "contact " + name, method: "POST", target: "/en/contact", header: []string{"Content-Type", "multipart/form-data; boundary=b"}, body: body})
	}
	for _, target := range []string{"/en/contact?article=" + url.QueryEscape(marker), "/en/contact?article=../../etc/passwd",
		"/en/contact/open/" + url.PathEscape(marker), "/en/contact/open/..%2f..%2fadmin", "/en/contact/suggest?q=" + url.QueryEscape(marker),
		"/en/contact/suggest?q=" + strings.Repeat("%e2%80%ae", 500), "/en/requests/" + url.PathEscape(marker), "/en/requests/" + strings.Repeat("A", 32),
		"/en/requests/" + strings.Repeat("0", 32) + "/screenshots/1", "/en/requests/" + strings.Repeat("0", 32) + "/screenshots/-1",
		"/en/requests/" + strings.Repeat("0", 32) + "/screenshots/99999999999999999999999", "/en/requests/..%2f..%2fadmin"} {
		get("contact GET "+target[:min(len(target), 60)], target)
	}
	for _, b := range []string{`{"helpful":"yes"}`, `{"helpful":"` + marker + `"}`, `{`, strings.Repeat("[", 20000), `{"helpful":1e999999}`, `"\ud800"`} {
		add(hostile{name: "json " + b[:min(len(b), 30)], method: "POST", target: feedback, header: []string{"Content-Type", "application/json", "Accept", "application/json"}, body: b})
	}

	// Methods on routes that exist and on ones that do not.
	for _, m := range []string{"PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO", "HEAD"} {
		add(hostile{name: "method " + m, method: m, target: "/en/articles/log-out"})
	}
	add(hostile{name: "method PUT /healthz", method: "PUT", target: "/healthz"})
	add(hostile{name: "method POST unknown", method: "POST", target: "/en/articles/no-such-article/feedback", header: formCT, body: "helpful=yes"})

	// Requests Go's server refuses itself.
	add(hostile{name: "raw NUL in target", target: "/en/\x00", netHTTP: true})
	add(hostile{name: "raw space in target", target: "/en/a b", netHTTP: true})
	add(hostile{name: "raw header injection", target: "/en/", header: []string{"X-A", "b\r\nSet-Cookie: x=1"}, netHTTP: false})
	add(hostile{name: "raw absolute-form", target: "http://evil.example/en/"})
	add(hostile{name: "raw asterisk-form", method: "OPTIONS", target: "*", netHTTP: true})
	for _, p := range []string{"/en/articles/%zz", "/en/articles/%", "/en/articles/%%", "/en/articles/%u003c"} {
		add(hostile{name: "raw bad escape " + p, target: p, netHTTP: true})
	}
	add(hostile{name: "raw no slash", target: "en/articles/log-out", netHTTP: true})
	add(hostile{name: "raw bad header name", target: "/en/", header: []string{"X <a>", "1"}, netHTTP: true})
	add(hostile{name: "raw two hosts", target: "/en/", header: []string{"Host", "a.example", "Host", "b.example"}, netHTTP: true})
	return cs
}

// TestHostileInput sends every hostile request to the real server and
// checks each answer: never a 5xx, never our markup unescaped, never a
// redirect off the site, the security headers on every response, no
// panic and no error in the log.
func TestHostileInput(t *testing.T) {
	ts, logs := newLoggedServer(t, func(c *config.Config) { c.BaseURL = "https://help.example.com"; c.RateLimit = 0 })
	cases := hostileCases()
	if len(cases) < 150 {
		t.Fatalf("only %d hostile cases", len(cases))
	}
	statuses := map[int]int{}
	for _, hc := range cases {
		t.Run(hc.name, func(t *testing.T) {
			resp, body := sendRaw(t, ts.Listener.Addr().String(), hc)
			statuses[resp.StatusCode]++
			if resp.StatusCode >= 500 {
				t.Errorf("status %d", resp.StatusCode)
			}
			if hc.netHTTP {
				if resp.Header.Get("X-Request-ID") != "" || len(body) > 64 {
					t.Errorf("expected net/http's own answer, got %d from the handler", resp.StatusCode)
				}
			} else {
				assertSecurityHeaders(t, resp, true)
				if cc := resp.Header.Get("Cache-Control"); cc == "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
					t.Errorf("redirect %d without Cache-Control", resp.StatusCode)
				}
			}
			if strings.Contains(strings.ToLower(body), marker) {
				i := strings.Index(strings.ToLower(body), marker)
				t.Errorf("unescaped markup in the body: …%s…", body[max(0, i-80):min(len(body), i+40)])
			}
			for k, vs := range resp.Header {
				for _, v := range vs {
					if strings.Contains(strings.ToLower(v), marker) || strings.ContainsAny(v, "\r\n\x00") {
						t.Errorf("header %s carries the input: %.80q", k, v)
					}
				}
			}
			if loc := resp.Header.Get("Location"); loc != "" && !isLocalRedirect(loc) {
				t.Errorf("redirect off the site: %q", loc)
			}
			if resp.Header.Get("Set-Cookie") != "" && strings.Contains(resp.Header.Get("Set-Cookie"), "x=1") {
				t.Error("a cookie was injected")
			}
		})
	}
	for _, e := range append(logs.entries("panic"), logs.entries("request failed")...) {
		t.Errorf("log: %v", e)
	}
	kinds := map[string]int{}
	for _, hc := range cases {
		kind, _, _ := strings.Cut(hc.name, " ")
		kinds[kind]++
	}
	t.Logf("%d hostile requests %v; statuses %v", len(cases), kinds, statuses)
}

// isLocalRedirect accepts a path on this site: one slash, then not a
// second slash or a backslash (browsers read /\host as //host).
func isLocalRedirect(loc string) bool {
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
		return false
	}
	u, err := url.Parse(loc)
	return err == nil && u.Host == "" && u.Scheme == ""
}

// sendRaw writes the request as is and reads one response.
func sendRaw(t *testing.T, addr string, hc hostile) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	method := hc.method
	if method == "" {
		method = "GET"
	}
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\n", method, hc.target)
	hasHost, hasAccept := false, false
	for i := 0; i+1 < len(hc.header); i += 2 {
		hasHost = hasHost || hc.header[i] == "Host"
		hasAccept = hasAccept || hc.header[i] == "Accept"
		fmt.Fprintf(&req, "%s: %s\r\n", hc.header[i], hc.header[i+1])
	}
	if !hasHost {
		fmt.Fprintf(&req, "Host: %s\r\n", addr)
	}
	if !hasAccept {
		req.WriteString("Accept: text/html\r\n")
	}
	if hc.body != "" || method == "POST" {
		fmt.Fprintf(&req, "Content-Length: %d\r\n", len(hc.body))
	}
	req.WriteString("Connection: close\r\n\r\n")
	req.WriteString(hc.body)
	if _, err := io.WriteString(conn, req.String()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method, URL: &url.URL{Path: hc.target}})
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if r, err = gzip.NewReader(resp.Body); err != nil {
			t.Fatal(err)
		}
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	return resp, string(body)
}
