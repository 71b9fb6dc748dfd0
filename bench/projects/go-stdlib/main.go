// stdlibsvc: a small service that touches a large part of Go's standard library
// (HTTP server and client, TLS and X.509, JSON/XML/gob, templates, archives, images,
// go/types), so a cold build compiles several hundred standard packages.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/stdlibsvc/internal/api"
	"example.com/stdlibsvc/internal/archive"
	"example.com/stdlibsvc/internal/keys"
	"example.com/stdlibsvc/internal/report"
)

const banner = "stdlibsvc 1.0"

func main() {
	addr := flag.String("addr", "", "serve HTTP on this address (empty: print a report and exit)")
	flag.Parse()
	fmt.Println(banner)
	if *addr == "" {
		if err := report.Write(os.Stdout, keys.Fingerprint(), archive.SelfTest()); err != nil {
			log.Fatal(err)
		}
		return
	}
	log.Fatal(http.ListenAndServe(*addr, api.Handler()))
}
