package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// showHealth answers as long as the process serves HTTP.
func (s *Server) showHealth(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, "ok\n")
}

// showReady answers 200 only once the search index is built and while
// the database answers: a load balancer sends readers only to an instance
// that can search and record their votes.
func (s *Server) showReady(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if !s.Site().IndexReady() {
		return c.String(http.StatusServiceUnavailable, "search index not built yet\n")
	}
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Error("readyz: database unreachable", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unreachable\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
