-- A GET of the path on wrk's command line, with the headers given by -H (bench/run.sh).
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
done = report
