# Installs zhibiao into a fresh prefix and builds the consumer project against that prefix only.
# cmake -DBUILD=<build dir> -DSOURCE=<consumer source> -DWORK=<scratch dir> -DGENERATOR=<gen> -P install_test.cmake
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --build-and-test ${SOURCE} ${WORK}/build
                  --build-generator ${GENERATOR}
                  --build-options -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_BUILD_TYPE=Release
                  --test-command consumer
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer did not build or run against the installed package")
endif()
