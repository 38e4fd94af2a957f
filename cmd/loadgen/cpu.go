package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CPU reads the processor time that server processes have used, from
// /proc (Linux): the processes of Pids, and with Postgres every process
// named postgres, found when Used is called (PostgreSQL starts a process
// per connection, so the set is taken after the warm-up has opened them).
type CPU struct {
	Pids     []int
	Postgres bool
}

// clockTick is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux architecture Go supports.
const clockTick = 100

// sample reads the time each process has used so far, in clock ticks.
// A process named postgres that exits while it is read is left out.
func (c CPU) sample() (map[int]int64, error) {
	ticks := map[int]int64{}
	for _, pid := range c.Pids {
		t, err := processTicks(pid)
		if err != nil {
			return nil, err
		}
		ticks[pid] = t
	}
	if c.Postgres {
		pg, err := processesNamed("postgres")
		if err != nil {
			return nil, err
		}
		for _, pid := range pg {
			if t, err := processTicks(pid); err == nil {
				ticks[pid] = t
			}
		}
	}
	return ticks, nil
}

// used is the time the processes of after used since before: all of a
// process's time when it is new.
func used(before, after map[int]int64) time.Duration {
	var ticks int64
	for pid, t := range after {
		ticks += t - before[pid]
	}
	return time.Duration(ticks) * time.Second / clockTick
}

// processTicks reads utime+stime of a process from /proc/PID/stat.
func processTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// the fields after its closing parenthesis start with field 3.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad times", pid)
	}
	return utime + stime, nil
}

// processesNamed lists the processes whose command name is name.
func processesNamed(name string) ([]int, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/comm")
	if err != nil {
		return nil, err
	}
	var pids []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil || strings.TrimSpace(string(b)) != name {
			continue // gone already, or another program
		}
		if pid, err := strconv.Atoi(filepath.Base(filepath.Dir(f))); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
