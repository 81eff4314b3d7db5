package rest

import (
	"context"
	"sync"
)

// State keeps each partner's Checkpoint between runs. The hub stores it in
// its database; MemoryState serves tests.
type State interface {
	// Load returns the partner's checkpoint; the zero Checkpoint when there
	// is none yet.
	Load(ctx context.Context, partner string) (Checkpoint, error)
	// Save replaces the partner's checkpoint. Run calls it after each page
	// the page callback accepted.
	Save(ctx context.Context, partner string, cp Checkpoint) error
}

// Checkpoint is where a partner's pulls stand.
type Checkpoint struct {
	// Watermark is the greatest watermark field value among the records
	// stored so far; the next run asks for records since it. Empty before
	// the first stored record (the next run sends watermark.initial).
	Watermark string `json:"watermark,omitempty"`
	// Run is the position of a run that stopped before its last page
	// (a crash, a failed page); the next Run resumes there instead of
	// starting over. Nil once a run reached its last page.
	Run *RunPosition `json:"run,omitempty"`
}

// RunPosition is the position of an unfinished run, just after its last
// stored page.
type RunPosition struct {
	// Since is the watermark the run's requests carry; a resumed run keeps
	// it, so its pages stay the pages the API started to serve.
	Since string `json:"since,omitempty"`
	// Pages is how many pages the run has stored.
	Pages int `json:"pages"`
	// Page is the number of the next page (page pagination).
	Page int `json:"page,omitempty"`
	// Offset is the offset of the next page (offset pagination).
	Offset int `json:"offset,omitempty"`
	// Cursor is the cursor of the next page (cursor pagination).
	Cursor string `json:"cursor,omitempty"`
	// NextURL is the rel="next" link of the next page (link pagination).
	NextURL string `json:"next_url,omitempty"`
}

// MemoryState is a State in memory, safe for concurrent use; for tests and
// for one-off pulls.
type MemoryState struct {
	mu    sync.Mutex
	cps   map[string]Checkpoint
	saves int
}

// NewMemoryState returns an empty MemoryState.
func NewMemoryState() *MemoryState { return &MemoryState{cps: map[string]Checkpoint{}} }

// Load returns the partner's checkpoint.
func (m *MemoryState) Load(_ context.Context, partner string) (Checkpoint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return cloneCheckpoint(m.cps[partner]), nil
}

// Save replaces the partner's checkpoint.
func (m *MemoryState) Save(_ context.Context, partner string, cp Checkpoint) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cps[partner] = cloneCheckpoint(cp)
	m.saves++
	return nil
}

// Saves is how many times Save was called.
func (m *MemoryState) Saves() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.saves
}

func cloneCheckpoint(cp Checkpoint) Checkpoint {
	if cp.Run != nil {
		r := *cp.Run
		cp.Run = &r
	}
	return cp
}
