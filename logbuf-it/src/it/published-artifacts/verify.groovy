// What logbuf published into the repository, as Maven Central would check
// it: the parent, the BOM and the four published modules, nothing else of
// logbuf's; each jar module with its jar, -sources and -javadoc jars; every
// pom, with its parent's, naming a licence, developers, SCM, URL and
// description; the BOM without a parent, managing the four modules at this
// version; LICENSE and the module descriptor inside each jar.
import groovy.xml.XmlSlurper
import java.util.zip.ZipFile

def group = new File(repository, 'dev/logbuf')
// (logbuf-it, the module publishing them, is there too: it is not logbuf's)
def published = (group.listFiles() ?: []).findAll { it.directory && it.name != 'logbuf-it' }*.name.sort()
def jars = ['logbuf-queue', 'logbuf-channel', 'logbuf-kafka', 'logbuf-testkit']
assert published == (['logbuf-bom', 'logbuf-parent'] + jars).sort() : "published: ${published}"

// a published file of an artifact (repository layout: group/artifact/version/)
def file = { String artifact, String extension, String classifier = '' ->
    def f = new File(group, "${artifact}/${logbufVersion}/${artifact}-${logbufVersion}${classifier ? '-' + classifier : ''}.${extension}")
    assert f.file : "${artifact}: no ${classifier ?: 'main'} ${extension} (${f})"
    f
}
def pom = { String artifact -> new XmlSlurper().parse(file(artifact, 'pom')) }

def parent = pom('logbuf-parent')
(published).each { artifact ->
    def p = pom(artifact)
    def inherited = { String element -> p."${element}".size() ? p."${element}" : (p.parent.size() ? parent."${element}" : p."${element}") }
    ['name', 'description', 'url'].each { element ->
        assert inherited(element).text().trim() : "${artifact}: no <${element}>"
    }
    assert inherited('licenses').license.name.text() == 'Apache-2.0' : "${artifact}: no Apache-2.0 licence"
    assert inherited('licenses').license.url.text() : "${artifact}: licence without URL"
    assert inherited('developers').developer.size() > 0 : "${artifact}: no developers"
    assert inherited('scm').url.text() && inherited('scm').connection.text() : "${artifact}: no SCM"
}

def bom = pom('logbuf-bom')
assert !bom.parent.size() : 'the BOM has a parent, whose dependencyManagement users would import too'
def managed = bom.dependencyManagement.dependencies.dependency.collect { "${it.groupId}:${it.artifactId}:${it.version}" }
def version = bom.version.text()
assert version == logbufVersion
assert managed.sort() == jars.collect { "dev.logbuf:${it}:\${project.version}" }.sort() : "the BOM manages ${managed}"

jars.each { artifact ->
    new ZipFile(file(artifact, 'jar')).withCloseable { jar ->
        assert jar.getEntry('META-INF/LICENSE') : "${artifact}.jar has no META-INF/LICENSE"
        assert jar.getEntry('module-info.class') : "${artifact}.jar has no module descriptor"
    }
    new ZipFile(file(artifact, 'jar', 'sources')).withCloseable { jar ->
        assert jar.getEntry('module-info.java') : "${artifact}-sources.jar has no module-info.java"
    }
    new ZipFile(file(artifact, 'jar', 'javadoc')).withCloseable { jar ->
        assert jar.getEntry('index.html') : "${artifact}-javadoc.jar has no index.html"
    }
}
println "published-artifacts: ${published.join(', ')}, each as Central wants it"
return true
