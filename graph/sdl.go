package graph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/graphql-go/graphql"
)

// SDL writes the schema in the GraphQL schema definition language, types
// in name order, with their descriptions; graphql-go has no printer.
func SDL(s graphql.Schema) string {
	var names []string
	for name := range s.TypeMap() {
		if strings.HasPrefix(name, "__") || builtinScalar(name) {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, name := range names {
		if i > 0 {
			b.WriteByte('\n')
		}
		writeType(&b, s.TypeMap()[name])
	}
	return b.String()
}

func builtinScalar(name string) bool {
	switch name {
	case "String", "Int", "Float", "Boolean", "ID":
		return true
	}
	return false
}

func writeDescription(b *strings.Builder, indent, d string) {
	if d == "" {
		return
	}
	if !strings.Contains(d, "\n") && !strings.Contains(d, `"`) {
		fmt.Fprintf(b, "%s\"\"\"%s\"\"\"\n", indent, d)
		return
	}
	fmt.Fprintf(b, "%s\"\"\"\n", indent)
	for _, line := range strings.Split(d, "\n") {
		fmt.Fprintf(b, "%s%s\n", indent, strings.ReplaceAll(line, `"""`, `\"""`))
	}
	fmt.Fprintf(b, "%s\"\"\"\n", indent)
}

func writeType(b *strings.Builder, t graphql.Type) {
	writeDescription(b, "", t.Description())
	switch t := t.(type) {
	case *graphql.Scalar:
		fmt.Fprintf(b, "scalar %s\n", t.Name())
	case *graphql.Enum:
		fmt.Fprintf(b, "enum %s {\n", t.Name())
		values := append([]*graphql.EnumValueDefinition(nil), t.Values()...)
		sort.Slice(values, func(i, j int) bool { return values[i].Name < values[j].Name })
		for _, v := range values {
			writeDescription(b, "  ", v.Description)
			fmt.Fprintf(b, "  %s\n", v.Name)
		}
		b.WriteString("}\n")
	case *graphql.Interface:
		fmt.Fprintf(b, "interface %s {\n", t.Name())
		writeFields(b, t.Fields())
		b.WriteString("}\n")
	case *graphql.Object:
		fmt.Fprintf(b, "type %s", t.Name())
		if ifs := t.Interfaces(); len(ifs) > 0 {
			names := make([]string, len(ifs))
			for i, f := range ifs {
				names[i] = f.Name()
			}
			fmt.Fprintf(b, " implements %s", strings.Join(names, " & "))
		}
		b.WriteString(" {\n")
		writeFields(b, t.Fields())
		b.WriteString("}\n")
	case *graphql.InputObject:
		fmt.Fprintf(b, "input %s {\n", t.Name())
		fields := t.Fields()
		for _, name := range sortedKeys(fields) {
			f := fields[name]
			writeDescription(b, "  ", f.Description())
			fmt.Fprintf(b, "  %s: %s%s\n", name, f.Type.String(), defaultValue(f.DefaultValue))
		}
		b.WriteString("}\n")
	case *graphql.Union:
		names := []string{}
		for _, o := range t.Types() {
			names = append(names, o.Name())
		}
		fmt.Fprintf(b, "union %s = %s\n", t.Name(), strings.Join(names, " | "))
	}
}

func writeFields(b *strings.Builder, fields graphql.FieldDefinitionMap) {
	for _, name := range sortedKeys(fields) {
		f := fields[name]
		writeDescription(b, "  ", f.Description)
		b.WriteString("  ")
		b.WriteString(name)
		if len(f.Args) > 0 {
			args := append([]*graphql.Argument(nil), f.Args...)
			sort.Slice(args, func(i, j int) bool { return args[i].Name() < args[j].Name() })
			b.WriteString("(\n")
			for _, a := range args {
				writeDescription(b, "    ", a.Description())
				fmt.Fprintf(b, "    %s: %s%s\n", a.Name(), a.Type.String(), defaultValue(a.DefaultValue))
			}
			b.WriteString("  )")
		}
		fmt.Fprintf(b, ": %s\n", f.Type.String())
	}
}

func defaultValue(v interface{}) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf(" = %q", s)
	}
	return fmt.Sprintf(" = %v", v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
