package preview

import (
	"net"
	"strings"
)

// loopbackHost reports whether a request's Host names this machine by a
// loopback name: localhost or a loopback address, with any port. The
// preview listens on 127.0.0.1 only, but a web page elsewhere can make a
// browser reach it under a name of its own (DNS rebinding) and read
// what it serves, the internal edition included: a request that names any
// other host is refused.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
