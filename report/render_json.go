package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
)

// RenderJSON writes the Analysis as the JSON document of DESIGN §5
// (docs/json-schema.md describes every field): two-space indentation, no
// HTML escaping, object keys of maps sorted, every time in UTC (RFC 3339),
// and lists and maps that are absent written as [] and {} rather than null,
// so that the output is deterministic and easy to query.
func RenderJSON(w io.Writer, a *Analysis) error {
	if a == nil {
		return fmt.Errorf("report: no analysis to render")
	}
	cp := *a
	if cp.Version == 0 {
		cp.Version = SchemaVersion
	}
	doc := jsonNormalize(reflect.ValueOf(&cp).Elem())
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc.Interface()); err != nil {
		return fmt.Errorf("report: json: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

var jsonTimeType = reflect.TypeFor[time.Time]()

// jsonNormalize returns a copy of v with every time.Time in UTC and every
// nil slice or map of a field without omitempty made empty. v is not
// modified.
func jsonNormalize(v reflect.Value) reflect.Value {
	t := v.Type()
	if t == jsonTimeType {
		return reflect.ValueOf(v.Interface().(time.Time).UTC())
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !jsonDeep(t.Elem()) {
			return v
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(jsonNormalize(v.Elem()))
		return p
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if !sf.IsExported() || tag == "-" || !jsonDeep(sf.Type) && !jsonNilable(sf.Type) {
				continue
			}
			f := jsonNormalize(v.Field(i))
			if jsonNilable(sf.Type) && f.IsNil() && !strings.Contains(tag, ",omitempty") {
				if sf.Type.Kind() == reflect.Slice {
					f = reflect.MakeSlice(sf.Type, 0, 0)
				} else {
					f = reflect.MakeMap(sf.Type)
				}
			}
			out.Field(i).Set(f)
		}
		return out
	case reflect.Slice:
		if v.IsNil() || !jsonDeep(t.Elem()) {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(jsonNormalize(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() || !jsonDeep(t.Elem()) {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			out.SetMapIndex(iter.Key(), jsonNormalize(iter.Value()))
		}
		return out
	}
	return v
}

// jsonNilable reports slices and maps.
func jsonNilable(t reflect.Type) bool { return t.Kind() == reflect.Slice || t.Kind() == reflect.Map }

// jsonDeep reports whether a value of type t may hold a time or a nested
// slice or map to normalise.
func jsonDeep(t reflect.Type) bool {
	if t == jsonTimeType {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		return jsonDeep(t.Elem()) || t.Kind() != reflect.Pointer && jsonNilable(t.Elem())
	case reflect.Struct:
		return true
	}
	return false
}
