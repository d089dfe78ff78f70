// Package schema holds the JSON Schemas (draft 2020-12) of the record files
// under data/, for editors: with the YAML extension of VS Code (or any
// editor using yaml-language-server), a first line such as
//
//	# yaml-language-server: $schema=../../../generator/schema/round.schema.json
//
// in a round file gives completion, hover help and errors as you type. The
// loader (package load) stays the authority; schema_test.go keeps the
// schemas' fields equal to the loader's and validates the sample data
// against them.
package schema

import "embed"

// Files holds site.schema.json, district.schema.json, round.schema.json,
// common.schema.json and units.schema.json.
//
//go:embed *.schema.json
var Files embed.FS

// Names maps each kind of record file to its schema's file name.
var Names = map[string]string{
	"site":     "site.schema.json",
	"district": "district.schema.json",
	"round":    "round.schema.json",
	"common":   "common.schema.json",
	"units":    "units.schema.json",
}
