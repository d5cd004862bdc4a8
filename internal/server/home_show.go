package server

import (
	"context"
	"maps"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	"helpcenter/web/page"
	"helpcenter/web/ui"
)

// quickLinks are the guides the home page puts first.
var quickLinks = []string{"request-account-info", "log-out"}

func (s *Server) showHome(c echo.Context) error {
	site, loc := siteOf(c), localizerOf(c)
	cat := site.Catalog
	p := page.HomeProps{
		Page: s.layoutPage(c, s.siteName(loc), loc.T("home.description"), "/"),
	}
	p.Page.Alternates = s.alternatesAll("/")
	for _, slug := range quickLinks {
		if a, err := cat.Article(slug); err == nil {
			p.QuickLinks = append(p.QuickLinks, articleLink(loc, a))
		}
	}
	for _, c := range cat.Categories {
		p.Categories = append(p.Categories, page.CategoryCard{
			Href:        "/" + loc.Slug + "/categories/" + c.Slug,
			Name:        loc.T("category." + c.Slug + ".name"),
			Description: loc.T("category." + c.Slug + ".description"),
			Count:       len(c.Articles),
		})
	}
	for _, a := range s.popular.order(s, cat) {
		p.Popular = append(p.Popular, articleLink(loc, a))
	}
	c.Response().Header().Set("Cache-Control", cacheHome)
	return render(c, http.StatusOK, page.Home(p))
}

// popularCache keeps the helpful-vote counts that order the popular
// questions. It is refreshed in the background at most once a minute;
// pages never wait for the query, they use the counts they have.
type popularCache struct {
	mu         sync.Mutex
	counts     map[string]int
	fetched    time.Time
	refreshing bool
	generation uint64 // bumped when the counts change the order; part of cached pages' keys
}

// version starts a refresh when the counts are old and returns the
// generation of the counts in use: pages that show popular questions are
// cached per generation.
func (pc *popularCache) version(s *Server) uint64 {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.refreshIfOld(s)
	return pc.generation
}

// refreshIfOld starts a background refresh when the counts are more than
// a minute old; pc.mu is held.
func (pc *popularCache) refreshIfOld(s *Server) {
	if time.Since(pc.fetched) > time.Minute && !pc.refreshing {
		pc.refreshing = true
		s.background.Add(1)
		go pc.refresh(s)
	}
}

// order returns the featured articles, most helpful votes first; on a tie
// (or without votes) in the catalog's order.
func (pc *popularCache) order(s *Server, cat *content.Catalog) []*content.Article {
	pc.mu.Lock()
	pc.refreshIfOld(s)
	counts := pc.counts
	pc.mu.Unlock()
	featured := cat.Featured()
	sort.SliceStable(featured, func(i, j int) bool {
		return counts[featured[i].Slug] > counts[featured[j].Slug]
	})
	return featured
}

func (pc *popularCache) refresh(s *Server) {
	defer s.background.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	counts, err := s.store.HelpfulByArticle(ctx)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.refreshing, pc.fetched = false, time.Now()
	if err != nil {
		s.log.Warn("popular questions: vote counts unavailable", "err", err)
		return
	}
	if !maps.Equal(pc.counts, counts) {
		pc.generation++
	}
	pc.counts = counts
}

func (s *Server) showCategory(c echo.Context) error {
	site, loc := siteOf(c), localizerOf(c)
	cat, err := site.Catalog.Category(c.Param("slug"))
	if err != nil {
		return err
	}
	name := loc.T("category." + cat.Slug + ".name")
	desc := loc.T("category." + cat.Slug + ".description")
	rest := "/categories/" + cat.Slug
	p := page.CategoryProps{
		Page:        s.layoutPage(c, name, desc, rest),
		Name:        name,
		Description: desc,
		Crumbs: []ui.Crumb{
			{Label: loc.T("layout.home"), Href: "/" + loc.Slug + "/"},
			{Label: name, Href: "/" + loc.Slug + rest},
		},
	}
	p.Page.Alternates = s.alternatesAll(rest)
	// Articles written in the reader's language first, fallbacks after.
	var own, other []ui.ArticleLink
	for _, a := range cat.Articles {
		if l := articleLink(loc, a); l.Lang == "" {
			own = append(own, l)
		} else {
			other = append(other, l)
		}
	}
	p.Articles = append(own, other...)
	return render(c, http.StatusOK, page.Category(p))
}

func (s *Server) showLanguages(c echo.Context) error {
	loc := localizerOf(c)
	p := page.LanguagesProps{Page: s.layoutPage(c, loc.T("languages.title"), loc.T("languages.description"), "/languages")}
	p.Page.Alternates = s.alternatesAll("/languages")
	return render(c, http.StatusOK, page.Languages(p))
}
