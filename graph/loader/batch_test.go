package loader

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/graph-gophers/dataloader/v7"
)

// recorder is a batch function that doubles its keys and records each
// batch it was asked for.
type recorder struct{ batches [][]int }

func (r *recorder) fetch(_ context.Context, keys []int) []*dataloader.Result[int] {
	r.batches = append(r.batches, append([]int(nil), keys...))
	out := make([]*dataloader.Result[int], len(keys))
	for i, k := range keys {
		if k < 0 {
			out[i] = &dataloader.Result[int]{Error: fmt.Errorf("no row %d", k)}
			continue
		}
		out[i] = &dataloader.Result[int]{Data: 2 * k}
	}
	return out
}

// TestLoaderReadsALevelInOneBatch loads keys as a level of a query does,
// then forces their thunks: one batch holds every key, whatever the
// order, and keys loaded again or primed are not read again.
func TestLoaderReadsALevelInOneBatch(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	l := newLoader(r.fetch, Options{}.withDefaults())
	l.Prime(ctx, 7, 700)
	var thunks []dataloader.Thunk[int]
	for _, k := range []int{3, 1, 3, 7, -1, 2} {
		thunks = append(thunks, l.Load(ctx, k))
	}
	var got []any
	for _, th := range thunks {
		v, err := th()
		if err != nil {
			got = append(got, err.Error())
			continue
		}
		got = append(got, v)
	}
	if want := []any{6, 2, 6, 700, "no row -1", 4}; !reflect.DeepEqual(got, want) {
		t.Fatalf("values %v, want %v", got, want)
	}
	if want := [][]int{{3, 1, -1, 2}}; !reflect.DeepEqual(r.batches, want) {
		t.Fatalf("batches %v, want %v", r.batches, want)
	}
	// The next level: a new batch; a cached key costs nothing.
	a, b := l.Load(ctx, 1), l.Load(ctx, 5)
	if v, _ := a(); v != 2 {
		t.Fatalf("cached key 1 = %d", v)
	}
	if v, _ := b(); v != 10 || len(r.batches) != 2 || !reflect.DeepEqual(r.batches[1], []int{5}) {
		t.Fatalf("key 5 = %d, batches %v", v, r.batches)
	}
}

// TestLoaderCapacityAndClear: a full batch is closed and the next keys
// start another; ClearAll forgets values but thunks handed out still
// answer; a batch function that leaves a key out fails that key only.
func TestLoaderCapacityAndClear(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	l := newLoader(r.fetch, Options{BatchCapacity: 2})
	t1, t2, t3 := l.Load(ctx, 1), l.Load(ctx, 2), l.Load(ctx, 3)
	l.ClearAll()
	for i, th := range []dataloader.Thunk[int]{t1, t2, t3} {
		if v, err := th(); err != nil || v != 2*(i+1) {
			t.Fatalf("key %d: %d %v", i+1, v, err)
		}
	}
	if want := [][]int{{1, 2}, {3}}; !reflect.DeepEqual(r.batches, want) {
		t.Fatalf("batches %v, want %v", r.batches, want)
	}
	if v, _ := l.Load(ctx, 1)(); v != 2 || len(r.batches) != 3 {
		t.Fatalf("after ClearAll key 1 = %d, batches %v", v, r.batches)
	}
	short := newLoader(func(context.Context, []int) []*dataloader.Result[int] {
		return []*dataloader.Result[int]{{Data: 1}}
	}, Options{}.withDefaults())
	a, b := short.Load(ctx, 1), short.Load(ctx, 2)
	if v, err := a(); v != 1 || err != nil {
		t.Fatalf("key 1: %d %v", v, err)
	}
	if _, err := b(); err == nil {
		t.Fatal("a key the batch left out has no error")
	}
}

// BenchmarkLoaderLevel loads and forces a level of 100 keys, as a page of
// 100 rows costs each of its related-row loaders.
func BenchmarkLoaderLevel(b *testing.B) {
	ctx := context.Background()
	fetch := func(_ context.Context, keys []int) []*dataloader.Result[int] {
		out := make([]*dataloader.Result[int], len(keys))
		for i, k := range keys {
			out[i] = &dataloader.Result[int]{Data: k}
		}
		return out
	}
	thunks := make([]dataloader.Thunk[int], 100)
	b.ReportAllocs()
	for b.Loop() {
		l := newLoader(fetch, Options{}.withDefaults())
		for i := range thunks {
			thunks[i] = l.Load(ctx, i)
		}
		for _, th := range thunks {
			if _, err := th(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
