package loader

import (
	"context"
	"fmt"
	"sync"

	"github.com/graph-gophers/dataloader/v7"
)

// Loader batches the keys loaded for one request and caches what they
// load. Unlike dataloader's loaders it has no timer: a batch is read when
// the first of its thunks runs. The executors force a level's thunks only
// once the level's resolvers have all run (breadth-first), so every key of
// the level is in the batch by then, under any load: a page costs the same
// statements on a busy machine as on an idle one, and no request waits for
// a window to close.
type Loader[K comparable, V any] struct {
	fetch    func(context.Context, []K) []*dataloader.Result[V]
	capacity int

	mu      sync.Mutex
	cache   map[K]*entry[K, V] // made on first use: most loaders of a request are never used
	pending *keyBatch[K, V]    // the batch new keys join, nil for none
}

// keyBatch is the keys loaded since the last batch was closed.
type keyBatch[K comparable, V any] struct {
	ctx     context.Context // the first key's
	keys    []K
	entries []*entry[K, V]
	once    sync.Once
}

// entry is one key's result: read by its batch, or primed.
type entry[K comparable, V any] struct {
	b   *keyBatch[K, V] // nil when primed
	val V
	err error
}

// newLoader returns a loader reading keys with fetch, which returns one
// result per key, in order, at most opt.BatchCapacity keys at a time.
func newLoader[K comparable, V any](fetch func(context.Context, []K) []*dataloader.Result[V], opt Options) *Loader[K, V] {
	return &Loader[K, V]{fetch: fetch, capacity: opt.BatchCapacity}
}

// Load returns a thunk for key's value, adding key to the pending batch
// unless it was loaded or primed before.
func (l *Loader[K, V]) Load(ctx context.Context, key K) dataloader.Thunk[V] {
	l.mu.Lock()
	e := l.cache[key]
	if e == nil {
		b := l.pending
		if b == nil || len(b.keys) >= l.capacity {
			b = &keyBatch[K, V]{ctx: ctx}
			l.pending = b
		}
		e = &entry[K, V]{b: b}
		if l.cache == nil {
			l.cache = map[K]*entry[K, V]{}
		}
		b.keys = append(b.keys, key)
		b.entries = append(b.entries, e)
		l.cache[key] = e
	}
	l.mu.Unlock()
	return func() (V, error) {
		if e.b != nil {
			l.read(e.b)
		}
		return e.val, e.err
	}
}

// read fetches batch b once, closing it to new keys first.
func (l *Loader[K, V]) read(b *keyBatch[K, V]) {
	b.once.Do(func() {
		l.mu.Lock()
		if l.pending == b {
			l.pending = nil
		}
		l.mu.Unlock()
		results := l.fetch(b.ctx, b.keys)
		for i, e := range b.entries {
			switch {
			case i >= len(results) || results[i] == nil:
				e.err = fmt.Errorf("loader: the batch returned no result for key %v", b.keys[i])
			default:
				e.val, e.err = results[i].Data, results[i].Error
			}
		}
	})
}

// Prime caches value for key, unless key is loaded or primed already.
func (l *Loader[K, V]) Prime(_ context.Context, key K, value V) *Loader[K, V] {
	l.mu.Lock()
	if l.cache == nil {
		l.cache = map[K]*entry[K, V]{}
	}
	if l.cache[key] == nil {
		l.cache[key] = &entry[K, V]{val: value}
	}
	l.mu.Unlock()
	return l
}

// Clear forgets key's value.
func (l *Loader[K, V]) Clear(_ context.Context, key K) *Loader[K, V] {
	l.mu.Lock()
	delete(l.cache, key)
	l.mu.Unlock()
	return l
}

// ClearAll forgets every value; thunks already handed out still answer.
func (l *Loader[K, V]) ClearAll() *Loader[K, V] {
	l.mu.Lock()
	l.cache = nil
	l.pending = nil
	l.mu.Unlock()
	return l
}
