package store

import (
	"context"
	"errors"
	"time"
)

// ErrExists is returned when a record to create is already there.
var ErrExists = errors.New("store: already exists")

// StaffMember is one back-office account. Password is the argon2id PHC
// string, never the password itself.
type StaffMember struct {
	Email     string
	Role      string // "admin" or "agent"
	Password  string
	CreatedAt time.Time
}

// Session is one signed-in browser of a staff member.
type Session struct {
	TokenHash string
	Email     string
	Role      string
	CreatedAt time.Time
	SeenAt    time.Time
}

// AuditEntry is one state change made by staff.
type AuditEntry struct {
	At     time.Time
	Actor  string
	Action string
	Detail string
}

// Staff is the back office's accounts, sessions and audit log.
type Staff interface {
	AddStaff(ctx context.Context, m StaffMember) error
	StaffMembers(ctx context.Context) ([]StaffMember, error)
	StaffByEmail(ctx context.Context, email string) (StaffMember, error)
	// SetStaffPassword replaces the hash and revokes every session of
	// the account in the same transaction.
	SetStaffPassword(ctx context.Context, email, hash string, now time.Time) error
	RemoveStaff(ctx context.Context, email string) error

	CreateSession(ctx context.Context, tokenHash, email string, now time.Time) error
	// SessionByHash returns the session with its account's current role.
	SessionByHash(ctx context.Context, tokenHash string) (Session, error)
	TouchSession(ctx context.Context, tokenHash string, now time.Time) error
	DeleteSession(ctx context.Context, tokenHash string) error
	PurgeSessions(ctx context.Context, idleBefore, createdBefore time.Time) error

	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, limit int) ([]AuditEntry, error)
}
