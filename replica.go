package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file" // registers file:// replicas

	"elk/db"
)

// defaultReplicaSync is how often the changes are shipped to the replica.
// With Litestream's one-second look at the write-ahead log, a write
// acknowledged about two seconds before the box died is in the replica.
const defaultReplicaSync = time.Second

// replication ships every change of the database to its replica while the
// portal serves (Litestream, in this process).
type replication struct {
	url     string
	client  *file.ReplicaClient
	db      *litestream.DB
	replica *litestream.Replica
	store   *litestream.Store
	log     *slog.Logger
}

// newReplication prepares the replication of the database at dbPath to the
// replica at url; nothing runs until start.
func newReplication(dbPath, url string, sync time.Duration, log *slog.Logger) (*replication, error) {
	client, err := newReplicaClient(url)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return nil, err
	}
	ldb := litestream.NewDB(abs)
	replica := litestream.NewReplicaWithClient(ldb, client)
	replica.SyncInterval = sync
	ldb.Replica = replica
	client.Replica = replica // the replica's files get the database's owner and mode
	store := litestream.NewStore([]*litestream.DB{ldb}, litestream.DefaultCompactionLevels)
	// Litestream reports every compaction; ELK's log keeps its warnings
	// and errors and says itself when replication starts, stops and restores.
	quiet := slog.New(warningsOnly{log.With("replica", url).Handler()})
	store.Logger = quiet
	ldb.SetLogger(quiet)
	return &replication{url: url, client: client, db: ldb, replica: replica, store: store, log: log}, nil
}

// newReplicaClient reads a replica's address: a folder, as a path or a
// file:// URL (file:///mnt/elk-replica, escaped as URLs are: %20 is a
// space). Other stores (S3 and the like) are Litestream's own program's,
// beside ELK (README, «Replica»).
func newReplicaClient(address string) (*file.ReplicaClient, error) {
	if !litestream.IsURL(address) {
		abs, err := filepath.Abs(address)
		if err != nil {
			return nil, err
		}
		return file.NewReplicaClient(abs), nil
	}
	u, err := url.Parse(address)
	if err != nil {
		return nil, fmt.Errorf("replica %s: %w", address, err)
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "file" {
		return nil, fmt.Errorf("replica %s: ELK replicates to a folder (a path or file:///path); "+
			"for %s run Litestream beside ELK, see README «Replica»", address, scheme)
	}
	switch {
	case u.Host != "" && u.Host != "localhost":
		return nil, fmt.Errorf("replica %s: a file URL names a folder of this machine from its root, "+
			"with three slashes (file:///mnt/elk-replica); a folder of another machine is mounted first", address)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(address, "?") || strings.HasSuffix(address, "#"):
		return nil, fmt.Errorf("replica %s: a file URL takes no ?query or #fragment (write ? and # in a folder's name as %%3F and %%23)", address)
	case !filepath.IsAbs(u.Path):
		return nil, fmt.Errorf("replica %s: names no folder (file:///mnt/elk-replica)", address)
	}
	return file.NewReplicaClient(filepath.Clean(u.Path)), nil
}

// restoreIfMissing brings back a database that is not there from its
// replica, before the store is opened: a server whose disk was lost starts
// where its replica stands instead of empty. A replica with nothing in it
// is a first start, unless earlier says this database was there before
// (then the replica is likely not mounted, or mistyped). A write-ahead log
// without its database is refused: it would be laid over the restored file.
func (r *replication) restoreIfMissing(ctx context.Context, earlier string) error {
	path := r.db.Path()
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return fmt.Errorf("%s is missing but its write-ahead log %s-wal is there: move the log away, "+
			"then start again to restore from the replica", path, path)
	}
	start := time.Now()
	err := restoreReplica(ctx, r.client, path)
	empty := errors.Is(err, litestream.ErrNoSnapshots) || errors.Is(err, litestream.ErrTxNotAvailable)
	if empty && earlier != "" {
		return fmt.Errorf("%s is missing and the replica %s holds no database, but %s: this is no first start. "+
			"Check that the replica's disk is mounted and ELK_REPLICA names its folder (for a first replica, create the folder); "+
			"to start a new, empty database all the same, start once with -first-start", path, r.url, earlier)
	}
	if empty {
		r.log.Info("replica is empty: starting a new database", "db", path, "replica", r.url)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s is missing and restoring it from the replica %s failed: %w", path, r.url, err)
	}
	r.log.Warn("DATABASE WAS MISSING: RESTORED FROM THE REPLICA", "db", path, "replica", r.url,
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}

// replicaMarker is the file in the replica's folder that names the
// database replicated there (db.Store.DatabaseID).
const replicaMarker = "elk-database-id"

// claim makes sure the replica's folder holds this database's replica and
// no other's: two servers replicating into one folder (the same elk.env on
// staging and production, say) would leave a replica that restores
// neither. The first start writes the database's id there; a folder that
// names another database is refused.
func (r *replication) claim(id string) error {
	dir := r.client.Path()
	held, err := readReplicaMarker(dir)
	if err == nil && held == "" {
		held, err = writeReplicaMarker(dir, id)
	}
	if err != nil {
		return fmt.Errorf("replica %s: %w", r.url, err)
	}
	return sameDatabase(r.url, held, id)
}

// sameDatabase refuses a replica that holds another database than id.
func sameDatabase(address, held, id string) error {
	if held != id {
		return fmt.Errorf("the replica %s holds another database's replica (id %s in its %s; this database is %s): "+
			"two servers cannot share one replica folder, give each its own ELK_REPLICA; a database put back from a copy "+
			"older than the replica starts a new one: move the folder's contents away first", address, held, replicaMarker, id)
	}
	return nil
}

// readReplicaMarker is the id the replica's folder names, empty when it
// names none (a folder not yet used, or one an older version wrote).
func readReplicaMarker(dir string) (string, error) {
	text, err := os.ReadFile(filepath.Join(dir, replicaMarker))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return strings.TrimSpace(string(text)), err
}

// writeReplicaMarker writes id into the folder, whole under another name
// and renamed into place (a folder on a share without hard links takes a
// rename as Litestream's own files do), and returns the id the folder then
// names.
func writeReplicaMarker(dir, id string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, replicaMarker+".*.part")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(id + "\n")
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return "", err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, replicaMarker)); err != nil {
		return "", err
	}
	return readReplicaMarker(dir)
}

// start begins replicating; the store must be open already, so that its
// migrations and its start-up checkpoint are done before Litestream holds
// the write-ahead log.
func (r *replication) start(ctx context.Context) error {
	if err := r.store.Open(ctx); err != nil {
		return fmt.Errorf("replica %s: %w", r.url, err)
	}
	// Litestream takes hold of the WAL at its first look, a second on;
	// taken now, a write of that second is not missed by a quick stop.
	if err := r.db.Sync(ctx); err != nil {
		return fmt.Errorf("replica %s: %w", r.url, err)
	}
	r.log.Info("replicating the database", "db", r.db.Path(), "replica", r.url, "sync", r.replica.SyncInterval)
	return nil
}

// stop ships what is left and stops; the portal's own connections are
// closed first, so nothing is written after the last sync.
func (r *replication) stop(ctx context.Context) error {
	if err := r.store.Close(ctx); err != nil {
		return fmt.Errorf("replica %s: final sync: %w", r.url, err)
	}
	r.log.Info("replica synced and stopped", "replica", r.url, "transaction", uint64(r.replica.Pos().TXID))
	return nil
}

// restoreReplica writes the replica's newest state to path, which must not
// exist, and checks it (PRAGMA quick_check). Litestream's staging folder
// beside it belonged to the database that is gone, and goes too: the
// restored one starts its own.
func restoreReplica(ctx context.Context, client litestream.ReplicaClient, path string) error {
	staging := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+litestream.MetaDirSuffix)
	if err := os.RemoveAll(staging); err != nil {
		return err
	}
	opt := litestream.NewRestoreOptions()
	opt.OutputPath = path
	opt.IntegrityCheck = litestream.IntegrityCheckQuick
	return litestream.NewReplicaWithClient(nil, client).Restore(ctx, opt)
}

// earlierStart names what shows that the database, when it is missing,
// was there before: its key (the key file beside it, or ELK_SECRET_KEY),
// or a replica folder that is not there (a first start finds the folder
// made, or the disk mounted, for it). Empty when nothing does, or when the
// operator said -first-start.
func earlierStart(cfg config) string {
	switch {
	case cfg.firstStart:
		return ""
	case fileExists(db.KeyFile(cfg.dbPath)):
		return "its key file " + db.KeyFile(cfg.dbPath) + " is there"
	case cfg.secretKey != "":
		return "ELK_SECRET_KEY is set"
	}
	client, err := newReplicaClient(cfg.replica)
	if err != nil {
		return ""
	}
	if info, err := os.Stat(client.Path()); err != nil || !info.IsDir() {
		return "the replica's folder " + client.Path() + " is not there"
	}
	return ""
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// warningsOnly passes on a handler's warnings and errors only.
type warningsOnly struct{ slog.Handler }

func (h warningsOnly) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn && h.Handler.Enabled(ctx, level)
}

func (h warningsOnly) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warningsOnly{h.Handler.WithAttrs(attrs)}
}

func (h warningsOnly) WithGroup(name string) slog.Handler {
	return warningsOnly{h.Handler.WithGroup(name)}
}

// openServedStore opens the database the server serves and, with a
// replica, first brings it back from the replica when it is missing and
// then starts replicating it. closeStore closes the store, then ships its
// last changes to the replica.
func openServedStore(ctx context.Context, cfg config, log *slog.Logger) (store *db.Store, closeStore func() error, err error) {
	if cfg.replica == "" {
		store, err = openStore(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		return store, store.Close, nil
	}
	rep, err := newReplication(cfg.dbPath, cfg.replica, cfg.replicaSync, log)
	if err != nil {
		return nil, nil, err
	}
	if err := rep.restoreIfMissing(ctx, earlierStart(cfg)); err != nil {
		return nil, nil, err
	}
	if store, err = openStore(ctx, cfg); err != nil {
		return nil, nil, err
	}
	id, err := store.DatabaseID(ctx)
	if err == nil {
		err = rep.claim(id)
	}
	if err == nil {
		err = rep.start(ctx)
	}
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, func() error {
		stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		return errors.Join(store.Close(), rep.stop(stopCtx))
	}, nil
}

// restore writes the replica's newest state to the database path, which
// must not exist: the operator then starts the server on it.
func restore(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("elk restore", flag.ContinueOnError)
	fs.StringVar(&cfg.dbPath, "db", cfg.dbPath, "SQLite database file to create (ELK_DB)")
	fs.StringVar(&cfg.replica, "replica", cfg.replica, "the replica to restore from (ELK_REPLICA)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.replica == "" || fs.NArg() > 0 {
		return errors.New("usage: elk restore -replica URL [-db elk.db]")
	}
	for _, f := range []string{cfg.dbPath, cfg.dbPath + "-wal"} {
		if _, err := os.Stat(f); err == nil {
			return fmt.Errorf("%s already exists: restore to a new path, or move the old database (with its -wal and -shm) away first", f)
		}
	}
	client, err := newReplicaClient(cfg.replica)
	if err != nil {
		return err
	}
	start := time.Now()
	err = restoreReplica(ctx, client, cfg.dbPath)
	if errors.Is(err, litestream.ErrNoSnapshots) || errors.Is(err, litestream.ErrTxNotAvailable) {
		return fmt.Errorf("the replica %s holds no database", cfg.replica)
	}
	if err != nil {
		return fmt.Errorf("restore from %s: %w", cfg.replica, err)
	}
	fmt.Fprintf(stdout, "restored %s from %s in %s, integrity checked\n"+
		"next: put the secret key back (%s, or ELK_SECRET_KEY), run elk check, start the server with -replica %s\n",
		cfg.dbPath, cfg.replica, time.Since(start).Round(time.Millisecond), db.KeyFile(cfg.dbPath), cfg.replica)
	return nil
}

// replicaBehindLimit is how long the replica may stand behind what the
// server has staged before elk check calls it broken: longer than any
// sync interval and its retries.
const replicaBehindLimit = time.Minute

// checkReplica checks that the replica is of the database whose id is
// given, then compares it with the changes Litestream has staged beside
// the database: the newest transaction in each, and when the replica's
// newest came. A replica behind for longer than replicaBehindLimit fails
// the check.
func checkReplica(ctx context.Context, cfg config, id string, stdout io.Writer) error {
	client, err := newReplicaClient(cfg.replica)
	if err != nil {
		return err
	}
	held, err := readReplicaMarker(client.Path())
	if err != nil {
		return fmt.Errorf("replica check: %w", err)
	}
	if held == "" {
		return fmt.Errorf("replica check failed: %s does not name the database it holds (no %s): the server writes it when it starts replicating", cfg.replica, replicaMarker)
	}
	if err := sameDatabase(cfg.replica, held, id); err != nil {
		return fmt.Errorf("replica check failed: %w", err)
	}
	abs, err := filepath.Abs(cfg.dbPath)
	if err != nil {
		return err
	}
	_, staged, err := litestream.NewDB(abs).MaxLTX()
	if err != nil {
		return fmt.Errorf("replica check: %w", err)
	}
	replica := litestream.NewReplicaWithClient(nil, client)
	var shipped uint64
	var shippedAt time.Time
	for level := range litestream.SnapshotLevel + 1 {
		info, err := replica.MaxLTXFileInfo(ctx, level)
		if err != nil {
			return fmt.Errorf("replica check: %w", err)
		}
		if uint64(info.MaxTXID) > shipped {
			shipped, shippedAt = uint64(info.MaxTXID), info.CreatedAt
		}
	}
	if shipped == 0 {
		return fmt.Errorf("replica check failed: %s holds nothing yet", cfg.replica)
	}
	ago := time.Since(shippedAt).Round(time.Second)
	behind := uint64(staged) - min(uint64(staged), shipped)
	if behind > 0 && ago > replicaBehindLimit {
		return fmt.Errorf("replica check failed: %s is %d transaction(s) behind the server's, the newest shipped %s ago: see the server's log", cfg.replica, behind, ago)
	}
	fmt.Fprintf(stdout, "replica OK: %s holds transaction %d (the server has staged %d), the newest shipped %s ago\n", cfg.replica, shipped, staged, ago)
	return nil
}
