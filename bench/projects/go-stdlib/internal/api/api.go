// Package api serves JSON, XML and gob over HTTP.
package api

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"
)

// Item is what every endpoint returns.
type Item struct {
	Name string    `json:"name" xml:"name"`
	When time.Time `json:"when" xml:"when"`
}

// Handler routes the endpoints.
func Handler() http.Handler {
	mux := http.NewServeMux()
	item := Item{Name: "stdlibsvc", When: time.Unix(0, 0).UTC()}
	mux.HandleFunc("/json", func(w http.ResponseWriter, _ *http.Request) { _ = json.NewEncoder(w).Encode(item) })
	mux.HandleFunc("/xml", func(w http.ResponseWriter, _ *http.Request) { _ = xml.NewEncoder(w).Encode(item) })
	mux.HandleFunc("/gob", func(w http.ResponseWriter, _ *http.Request) {
		var buf bytes.Buffer
		_ = gob.NewEncoder(&buf).Encode(item)
		_, _ = w.Write(buf.Bytes())
	})
	backend, _ := url.Parse("http://127.0.0.1:9")
	mux.Handle("/proxy/", httputil.NewSingleHostReverseProxy(backend))
	return mux
}
