// Command ferretdb is a tiny wrapper around FerretDB v1's embeddable package
// (github.com/FerretDB/FerretDB/ferretdb) with the SQLite backend. It exists
// because `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds
// a binary that panics at start (missing build/version/version.txt, upstream
// issue #2982). scripts/services.sh builds it into .cache/bin/ferretdb.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

const ferretModule = "github.com/FerretDB/FerretDB"

// ferretVersion returns the FerretDB module version this binary was built with.
func ferretVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == ferretModule {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27117", "TCP address to listen on")
	dataDir := flag.String("data-dir", "", "SQLite data directory (empty = in-memory)")
	logLevel := flag.String("log-level", "info", "log level: debug, info, warn, error")
	showVersion := flag.Bool("version", false, "print the FerretDB version and exit")
	flag.Parse()

	// The embeddable package leaves the version "unknown" (version.txt is only
	// generated in FerretDB's own builds); report the module version instead,
	// so that buildInfo / serverStatus show which FerretDB this is.
	version.Get().Version = ferretVersion()
	if *showVersion {
		fmt.Printf("FerretDB %s (embedded, sqlite handler; reports MongoDB %s)\n",
			version.Get().Version, version.Get().MongoDBVersion)
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	// FerretDB's SQLite backend takes a directory URI ("file:<dir>/").
	sqliteURL := "file:/?mode=memory"
	if *dataDir != "" {
		abs, err := filepath.Abs(*dataDir)
		if err != nil {
			logger.Error("bad -data-dir", "err", err)
			os.Exit(2)
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			logger.Error("cannot create -data-dir", "err", err)
			os.Exit(1)
		}
		sqliteURL = "file:" + strings.TrimSuffix(abs, "/") + "/"
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		logger.Error("cannot start FerretDB", "err", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	logger.Info("FerretDB (embedded, sqlite) starting",
		"version", version.Get().Version, "listen", *listen, "sqlite", sqliteURL)
	if err := f.Run(ctx); err != nil {
		logger.Error("FerretDB stopped with error", "err", err)
		os.Exit(1)
	}
	logger.Info("FerretDB stopped")
}
