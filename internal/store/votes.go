package store

// Reasons are the answers to "Why wasn't it helpful?", as stored.
var Reasons = []string{"unclear", "not_answered", "did_not_work", "policy"}

// Vote is one reader's answer about one article in one language.
type Vote struct {
	Reader  string // hash of the reader cookie (see server.hashReader)
	Article string
	Locale  string
	Helpful bool
	Reason  string // "" when Helpful
	Comment string
}

// VoteTally is the votes on one article in one language.
type VoteTally struct {
	Article    string
	Locale     string
	Helpful    int
	NotHelpful int
	Reasons    map[string]int
}

// AppendCount adds n votes of one answer to the tallies of out, whose
// last entry is the current article and language while rows come sorted
// by them: the fold both engines' queries share.
func AppendCount(out []VoteTally, article, locale string, helpful bool, reason string, n int) []VoteTally {
	if len(out) == 0 || out[len(out)-1].Article != article || out[len(out)-1].Locale != locale {
		out = append(out, VoteTally{Article: article, Locale: locale, Reasons: map[string]int{}})
	}
	t := &out[len(out)-1]
	if helpful {
		t.Helpful += n
	} else {
		t.NotHelpful += n
		t.Reasons[reason] += n
	}
	return out
}

// ExportedVote is a vote as the CSV export shows it (no reader key).
type ExportedVote struct {
	Article, Locale, Reason, Comment string
	Helpful                          bool
	CreatedAt, UpdatedAt             string
}
