// The application ran on the module path and said so; logbuf came from the
// repository it was published to.
def log = new File(basedir, 'build.log').text
assert log =~ /(?m)^OK 100 records through dev\.logbuf\.queue, 2000 through dev\.logbuf\.channel, from example\.modular$/ :
        'no OK line from the module-path application: see build.log'

// logbuf came from the repository it was published to, as a download
def fromRepository = { String artifact ->
    def record = new File(localRepositoryPath, "dev/logbuf/${artifact}/${logbufVersion}/_remote.repositories")
    assert record.file && record.text.contains(">logbuf-staging=") : "${artifact} was not taken from the repository"
}
['logbuf-parent', 'logbuf-bom', 'logbuf-queue', 'logbuf-channel'].each(fromRepository)
return true
