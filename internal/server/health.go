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

// showReady answers 200 only once the search index is built and while a
// vote could be saved: the database answers, is under its size limit and
// has disk space. A load balancer then sends readers only to an instance
// that can search and record their votes, and sends them again once space
// returns.
func (s *Server) showReady(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	if !s.Site().IndexReady() {
		return c.String(http.StatusServiceUnavailable, "search index not built yet\n")
	}
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Warn("readyz: not ready", "err", err)
		return c.String(http.StatusServiceUnavailable, "not ready: cannot write to the database\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
