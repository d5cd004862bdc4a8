package i18n

import (
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/locales"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/go-playground/locales/af"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/az"
	"github.com/go-playground/locales/bg"
	"github.com/go-playground/locales/bn"
	"github.com/go-playground/locales/ca"
	"github.com/go-playground/locales/cs"
	"github.com/go-playground/locales/da"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/el"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/et"
	"github.com/go-playground/locales/fa"
	"github.com/go-playground/locales/fi"
	"github.com/go-playground/locales/fil"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/ga"
	"github.com/go-playground/locales/gu"
	"github.com/go-playground/locales/he"
	"github.com/go-playground/locales/hi"
	"github.com/go-playground/locales/hr"
	"github.com/go-playground/locales/hu"
	"github.com/go-playground/locales/id"
	"github.com/go-playground/locales/it"
	"github.com/go-playground/locales/ja"
	"github.com/go-playground/locales/kk"
	"github.com/go-playground/locales/kn"
	"github.com/go-playground/locales/ko"
	"github.com/go-playground/locales/lt"
	"github.com/go-playground/locales/lv"
	"github.com/go-playground/locales/mk"
	"github.com/go-playground/locales/ml"
	"github.com/go-playground/locales/mr"
	"github.com/go-playground/locales/ms"
	"github.com/go-playground/locales/nb"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pa_Guru"
	"github.com/go-playground/locales/pl"
	"github.com/go-playground/locales/pt_BR"
	"github.com/go-playground/locales/pt_PT"
	"github.com/go-playground/locales/ro"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/sk"
	"github.com/go-playground/locales/sl"
	"github.com/go-playground/locales/sq"
	"github.com/go-playground/locales/sr_Cyrl"
	"github.com/go-playground/locales/sv"
	"github.com/go-playground/locales/sw"
	"github.com/go-playground/locales/ta"
	"github.com/go-playground/locales/te"
	"github.com/go-playground/locales/th"
	"github.com/go-playground/locales/tr"
	"github.com/go-playground/locales/uk"
	"github.com/go-playground/locales/ur"
	"github.com/go-playground/locales/uz_Latn"
	"github.com/go-playground/locales/vi"
	"github.com/go-playground/locales/zh_Hans_CN"
	"github.com/go-playground/locales/zh_Hant_TW"
)

// cldrDates maps each locale to its CLDR calendar data. Chinese, Portuguese,
// Serbian, Uzbek and Punjabi name the script or region the site serves.
var cldrDates = map[string]func() locales.Translator{
	"az":    az.New,
	"af":    af.New,
	"id":    id.New,
	"ms":    ms.New,
	"ca":    ca.New,
	"cs":    cs.New,
	"da":    da.New,
	"de":    de.New,
	"et":    et.New,
	"en":    en.New,
	"es":    es.New,
	"fr":    fr.New,
	"ga":    ga.New,
	"hr":    hr.New,
	"it":    it.New,
	"sw":    sw.New,
	"lv":    lv.New,
	"lt":    lt.New,
	"hu":    hu.New,
	"nl":    nl.New,
	"nb":    nb.New,
	"uz":    uz_Latn.New,
	"fil":   fil.New,
	"pl":    pl.New,
	"pt-BR": pt_BR.New,
	"pt-PT": pt_PT.New,
	"ro":    ro.New,
	"sq":    sq.New,
	"sk":    sk.New,
	"sl":    sl.New,
	"fi":    fi.New,
	"sv":    sv.New,
	"vi":    vi.New,
	"tr":    tr.New,
	"el":    el.New,
	"bg":    bg.New,
	"kk":    kk.New,
	"mk":    mk.New,
	"ru":    ru.New,
	"sr":    sr_Cyrl.New,
	"uk":    uk.New,
	"he":    he.New,
	"ar":    ar.New,
	"fa":    fa.New,
	"ur":    ur.New,
	"bn":    bn.New,
	"hi":    hi.New,
	"gu":    gu.New,
	"kn":    kn.New,
	"mr":    mr.New,
	"pa":    pa_Guru.New,
	"ta":    ta.New,
	"te":    te.New,
	"ml":    ml.New,
	"th":    th.New,
	"zh-CN": zh_Hans_CN.New,
	"zh-TW": zh_Hant_TW.New,
	"ja":    ja.New,
	"ko":    ko.New,
}

type dateFormatter struct{ t locales.Translator }

func newDateFormatter(l Locale) dateFormatter {
	if f, ok := cldrDates[l.Code]; ok {
		return dateFormatter{t: f()}
	}
	return dateFormatter{t: cldrDates[Default.Code]()}
}

// format writes the long date, then rewrites its ASCII digits in the
// locale's own numbering system (Persian, Bangla, Marathi...): the calendar
// data is written with Latin digits only.
func (d dateFormatter) format(t time.Time, p *message.Printer) string {
	s := d.t.FmtDateLong(t)
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(s[i:j])
		b.WriteString(p.Sprint(number.Decimal(n, number.NoSeparator())))
		i = j
	}
	return b.String()
}
