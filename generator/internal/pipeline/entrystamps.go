package pipeline

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// What the cache knows of a path (lstatOf).
type fileStat struct {
	kind  fileKind
	size  int64
	perm  fs.FileMode // the permission bits, and setuid, setgid and sticky
	dev   uint64      // 0 with ino: not known here
	ino   uint64
	ctime int64 // the change time, ns; 0: not known here
}

type fileKind uint8

const (
	kindOther fileKind = iota
	kindDir
	kindFile
)

// A dirStamp tells that a folder has not changed since it was taken: which
// folder it is (device and inode) and its change time. Making, removing or
// renaming a name in a folder, or changing its mode, sets its change time
// to the file system's time now (POSIX, for every file system here), which
// no program can set back; so a folder whose stamp is the same still
// holds the same names, each the same file or folder as then.
//
// A change time is as fine as the file system's clock, which may tick
// only every few milliseconds: a change made in the tick of the stamp
// would keep it. A stamp is therefore kept only when the change time is
// before now, a time the file system gave before the folder was looked
// at (fsNow); else it is not known, and the folder is listed.
type dirStamp struct {
	dev, ino uint64
	ctime    int64
}

// stampOf is the stamp of a folder of stat st looked at after now; the
// zero stamp (not known) when its change time is not before now.
func stampOf(st fileStat, now int64) dirStamp {
	if st.ctime == 0 || now == 0 || st.ctime >= now {
		return dirStamp{}
	}
	return dirStamp{st.dev, st.ino, st.ctime}
}

// matches reports whether the folder of stat st is the stamped one,
// unchanged.
func (s dirStamp) matches(st fileStat) bool {
	return s.ctime != 0 && s == dirStamp{st.dev, st.ino, st.ctime}
}

// entryStamps are kept beside an entry's manifest (stampsFile), indexed as
// its folders and files: the stamps of the folders in the entry, and of
// the ones the last build took from it and published, with the inode of
// each file there. A build that finds a folder of the entry unchanged
// need not list it (takeShard), and one that finds the folder of the
// site it replaced unchanged knows which files it holds (putBack). The
// file is written once the folders are back; missing, cut short or
// another manifest's, no stamp is known and every folder is listed.
type entryStamps struct {
	entry, site []dirStamp
	siteFiles   []uint64 // inodes (on the device of site's folders); 0: not known
}

const (
	stampsFile   = ".entry.stamps"
	stampsHeader = "bulletin-entry-stamps 1\n"
)

// readStamps reads the stamps of entry, whose manifest is m; all unknown
// when there are none that fit.
func readStamps(entry string, m *manifestOfEntry) entryStamps {
	nd, nf := len(m.Dirs), len(m.Files)
	s := entryStamps{entry: make([]dirStamp, nd), site: make([]dirStamp, nd), siteFiles: make([]uint64, nf)}
	data, err := readInto(nil, filepath.Join(entry, stampsFile))
	if err != nil || len(data) != len(stampsHeader)+16+nd*48+nf*8 || string(data[:len(stampsHeader)]) != stampsHeader {
		return s
	}
	b := data[len(stampsHeader):]
	le := binary.LittleEndian
	if le.Uint64(b) != uint64(nd) || le.Uint64(b[8:]) != uint64(nf) {
		return s
	}
	b = b[16:]
	for _, list := range [][]dirStamp{s.entry, s.site} {
		for i := range list {
			list[i] = dirStamp{le.Uint64(b), le.Uint64(b[8:]), int64(le.Uint64(b[16:]))}
			b = b[24:]
		}
	}
	for i := range s.siteFiles {
		s.siteFiles[i] = le.Uint64(b)
		b = b[8:]
	}
	return s
}

// writeStamps replaces the stamps of entry.
func writeStamps(entry string, s entryStamps) error {
	le := binary.LittleEndian
	b := make([]byte, 0, len(stampsHeader)+16+len(s.entry)*48+len(s.siteFiles)*8)
	b = append(b, stampsHeader...)
	b = le.AppendUint64(b, uint64(len(s.entry)))
	b = le.AppendUint64(b, uint64(len(s.siteFiles)))
	for _, list := range [][]dirStamp{s.entry, s.site} {
		for _, d := range list {
			b = le.AppendUint64(b, d.dev)
			b = le.AppendUint64(b, d.ino)
			b = le.AppendUint64(b, uint64(d.ctime))
		}
	}
	for _, ino := range s.siteFiles {
		b = le.AppendUint64(b, ino)
	}
	p := filepath.Join(entry, stampsFile)
	tmp := p + ".new"
	os.Remove(tmp)
	if err := writeNew(tmp, b); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// removeStamps removes the stamps of entry, if any.
func removeStamps(entry string) error {
	if err := os.Remove(filepath.Join(entry, stampsFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
