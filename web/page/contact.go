package page

import (
	"context"

	"github.com/a-h/templ"

	"helpcenter/web/ui"
)

// describe is a field's aria-describedby: its hint, and its error when
// it has one, so screen readers read both with the field.
func describe(id, errMsg string) string {
	if errMsg != "" {
		return id + "-hint " + id + "-error"
	}
	return id + "-hint"
}

// errorAttrs ties a field without a hint to its error message.
func errorAttrs(id, errMsg string) templ.Attributes {
	if errMsg == "" {
		return nil
	}
	return templ.Attributes{"aria-describedby": id + "-error", "aria-invalid": "true"}
}

// choiceLabel names a request type (prefix "contact.kind.") or a device:
// the platform names the articles use, and "other device".
func choiceLabel(ctx context.Context, prefix, v string) string {
	switch {
	case prefix != "":
		return ui.T(ctx, prefix+v)
	case v == "other":
		return ui.T(ctx, "contact.device.other")
	default:
		return ui.T(ctx, "platform."+v)
	}
}

// thumbWidth and thumbHeight size a screenshot's thumbnail within 240 ×
// 240 CSS pixels, keeping its proportions, so the page does not shift.
func thumbWidth(s ShotLink) int {
	w, _ := thumb(s)
	return w
}

func thumbHeight(s ShotLink) int {
	_, h := thumb(s)
	return h
}

func thumb(s ShotLink) (int, int) {
	const box = 240
	if s.Width <= 0 || s.Height <= 0 {
		return box, box
	}
	if s.Width >= s.Height {
		return box, max(1, s.Height*box/s.Width)
	}
	return max(1, s.Width*box/s.Height), box
}

// keptAttrs gives the list of kept screenshots the file input's id when it
// stands in for the input.
func keptAttrs(full bool, inputID string) templ.Attributes {
	if !full {
		return nil
	}
	return templ.Attributes{"id": inputID, "tabindex": "-1", "aria-describedby": inputID + "-hint"}
}
