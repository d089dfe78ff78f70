package search

import (
	"reflect"
	"testing"
)

func TestKeys(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"调休", []string{"调", "休", "调休"}},
		{"污水管网", []string{"污", "水", "污水", "管", "水管", "网", "管网"}},
		{"PPP 项目2019", []string{"ppp", "项", "目", "项目", "2019"}},
		{"村、社区", []string{"村", "社", "区", "社区"}},
		{"<script>", []string{"script"}},
	} {
		if got := Keys(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Keys(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
