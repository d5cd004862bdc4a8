package contact

import (
	"html/template"
	"strings"

	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
)

// StatusURL is the reader's private link to request status page.
func StatusURL(baseURL string, loc i18n.Locale, token string) string {
	return baseURL + "/" + loc.Slug + "/requests/" + token
}

var mailHTML = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif;line-height:1.5">
<p>{{.Body}}</p>
<p><a href="{{.Link}}">{{.Link}}</a></p>
<p style="color:#555">{{.Footer}}</p>
</body></html>
`))

// ConfirmMail is the confirmation sent to a reader who gave an address.
func ConfirmMail(l *i18n.Localizer, to, code, link string) store.Mail {
	return compose(l, to, "mail.confirm_subject", "mail.confirm_body", code, link)
}

// ReplyMail tells the reader that staff replied.
func ReplyMail(l *i18n.Localizer, to, code, link string) store.Mail {
	return compose(l, to, "mail.reply_subject", "mail.reply_body", code, link)
}

func compose(l *i18n.Localizer, to, subjectID, bodyID, code, link string) store.Mail {
	subject := l.T(subjectID, "Code", code)
	// The body carries the link in its text; the HTML part moves it into a
	// paragraph of its own as a real link.
	body := l.T(bodyID, "Code", code, "Link", link)
	footer := l.T("mail.footer")
	var html strings.Builder
	_ = mailHTML.Execute(&html, map[string]string{
		"Lang": l.Locale.Code, "Dir": l.Locale.Dir, "Subject": subject,
		"Body": strings.TrimSpace(strings.ReplaceAll(body, link, "")), "Link": link, "Footer": footer,
	})
	return store.Mail{To: to, Subject: subject, Text: body + "\n\n" + footer + "\n", HTML: html.String()}
}
