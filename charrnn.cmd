@echo off
rem charrnn launcher for Windows (cmd.exe), as ./charrnn is for Linux and macOS: builds target\charrnn.jar
rem when it is missing or older than the sources (the jar itself answers that: charrnn.cli.JarUpToDate),
rem then runs it with the JVM options ./charrnn uses. Extra JVM options: CHARRNN_JAVA_OPTS, e.g.
rem   set CHARRNN_JAVA_OPTS=-Xmx1g
rem Ctrl-C lets Java finish the iteration and save a checkpoint before it exits; cmd may then ask
rem "Terminate batch job (Y/N)?", and either answer is fine: the checkpoint is saved by then.
setlocal
set "HERE=%~dp0"
set "HERE=%HERE:~0,-1%"
set "JAR=%HERE%\target\charrnn.jar"
if not exist "%JAR%" goto build
java -cp "%JAR%" charrnn.cli.JarUpToDate "%HERE%" 2>nul
if not errorlevel 1 goto run
:build
echo charrnn: building target\charrnn.jar (the first build downloads ND4J, about 110 MB) ... 1>&2
pushd "%HERE%"
call mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package 1>&2
set "BUILT=%ERRORLEVEL%"
popd
if not "%BUILT%"=="0" exit /b %BUILT%
:run
set "PROFILE="
if defined CHARRNN_PROFILE set "PROFILE=-Dcharrnn.profile=true"
java -Xmx256m --add-modules jdk.incubator.vector %PROFILE% %CHARRNN_JAVA_OPTS% -Dcharrnn.home="%HERE%" -jar "%JAR%" %*
exit /b %ERRORLEVEL%
