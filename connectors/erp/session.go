package erp

import (
	"context"
	"sync"
)

// Sessions holds an ERP client's current login, shared by concurrent
// calls: one login at a time, and a session a call was refused with is
// replaced once, however many calls saw it refused. The zero value is
// ready.
type Sessions[S any] struct {
	loginMu sync.Mutex // one login at a time
	mu      sync.Mutex // guards cur
	cur     *S
}

// Get returns the current session, calling login when there is none or
// when the current one is stale (the one a call was just refused with;
// nil when none was).
func (s *Sessions[S]) Get(ctx context.Context, stale *S, login func(context.Context) (*S, error)) (*S, error) {
	if cur := s.current(); cur != nil && cur != stale {
		return cur, nil
	}
	s.loginMu.Lock()
	defer s.loginMu.Unlock()
	if cur := s.current(); cur != nil && cur != stale { // another call logged in meanwhile
		return cur, nil
	}
	cur, err := login(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cur = cur
	s.mu.Unlock()
	return cur, nil
}

func (s *Sessions[S]) current() *S {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}
