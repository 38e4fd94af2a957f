package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/societyregistry/registry/graph"
	"github.com/societyregistry/registry/registry"
)

// bom is the UTF-8 byte-order mark, which spreadsheet programs need to
// open a UTF-8 CSV file with Chinese names correctly.
const bom = "\xEF\xBB\xBF"

// exportCmd writes a term's roster as CSV, or an election's record as
// JSON.
func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch what, args := word(args); what {
	case "roster":
		return exportRoster(ctx, args, stdout, stderr)
	case "election":
		return exportElection(ctx, args, stdout, stderr)
	}
	return fmt.Errorf("usage: registry export roster -term TERM [-o FILE] [-bom=false] | election -election ELECTION [-o FILE]")
}

// exportRoster writes a term's roster as CSV.
func exportRoster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("export roster", stderr)
	termArg := fs.String("term", "", "the term: its number or its global ID")
	out := fs.String("o", "-", "the file to write; - for standard output")
	withBOM := fs.Bool("bom", true, "start the file with a UTF-8 byte-order mark, for spreadsheet programs")
	if err := parse(fs, args); err != nil {
		return err
	}
	term, err := termID(*termArg)
	if err != nil {
		return err
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	data, err := s.ExportRoster(ctx, cli(), term)
	if err != nil {
		return err
	}
	if *withBOM {
		data = append([]byte(bom), data...)
	}
	return writeOut(*out, stdout, data)
}

// writeOut writes data to the file named by -o, or to stdout for "-".
func writeOut(name string, stdout io.Writer, data []byte) error {
	if name == "-" {
		_, err := stdout.Write(data)
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// importCmd makes a term's roster agree with a CSV file, all or nothing.
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	what, args := word(args)
	if what != "roster" {
		return fmt.Errorf("usage: registry import roster -term TERM FILE")
	}
	fs, c := newFlags("import roster", stderr)
	clockFlags(fs, c)
	termArg := fs.String("term", "", "the term: its number or its global ID")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: registry import roster -term TERM FILE (- reads standard input)")
	}
	term, err := termID(*termArg)
	if err != nil {
		return err
	}
	var data []byte
	if name := fs.Arg(0); name == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return err
	}
	clk, err := c.clock()
	if err != nil {
		return err
	}
	s, err := registry.Open(ctx, c.db, registry.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	s.Clock = clk
	rep, err := s.ImportRoster(ctx, cli(), term, data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s created, %s updated, %s unchanged; %s not in the file left as they were\n",
		plural(rep.Created, "appointment"), plural(rep.Updated, "appointment"), plural(rep.Unchanged, "appointment"),
		plural(rep.Untouched, "appointment"))
	return nil
}

// termID reads -term: a term's number, or its global ID as the API shows
// it.
func termID(v string) (int, error) { return rowID(v, "term", "Term") }

// rowID reads the flag name: a row's number, or its global ID, which
// must name a typeName.
func rowID(v, name, typeName string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, registry.E(registry.Invalid, name, "-%s is required: a %s's number or its global ID", name, name)
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n, nil
	}
	typ, id, err := graph.ParseGlobalID(v)
	if err != nil || typ != typeName {
		return 0, registry.E(registry.Invalid, name, "-%s %q is neither a %s's number nor a %s's global ID", name, v, name, typeName)
	}
	return id, nil
}
