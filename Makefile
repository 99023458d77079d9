# settle — build, test, demo, bench.
#
#   make            build/libsettle.a and every program into build/bin/
#   make check      sanitizer build (ASan+UBSan, -Werror, failpoints) and all tests
#   make demo       the money path on the private MariaDB and the loopback sandbox
#   make bench      benchmarks (figures go to BENCHMARKS.md by hand)
#   make deps       install missing Debian packages (as root), else print the command
#   make db-up / db-down   start / stop the private MariaDB under var/
#   make install    PREFIX=/usr/local DESTDIR=
#
# Targets that need libraries (check, demo, bench) first run `make deps` and
# then re-enter make, so pkg-config is asked only after the packages exist.

SHELL := /bin/bash
.DEFAULT_GOAL := all

BUILD ?= build
VARIANT ?= release
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

DEB_PKGS := gcc make pkg-config curl default-libmysqlclient-dev mariadb-server mariadb-client \
	libcurl4-openssl-dev libxml2-dev libxml2-utils libcsv-dev libssl-dev libcriterion-dev \
	libjansson-dev libmicrohttpd-dev libinih-dev libcjose-dev libjwt-dev scdoc time

PKGS := mysqlclient libcurl libxml-2.0 openssl jansson libmicrohttpd cjose
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -linih
CRIT_CFLAGS = $(shell pkg-config --cflags criterion 2>/dev/null)
CRIT_LIBS = $(shell pkg-config --libs criterion 2>/dev/null)

CC ?= cc
CSTD := -std=c17 -D_GNU_SOURCE
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wno-format-truncation -Wvla -Wpointer-arith -Wundef -Wwrite-strings -Wimplicit-fallthrough \
	-Wno-format-nonliteral
ifeq ($(VARIANT),check)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  WARN += -Werror
  DEFS := -DSETTLE_FAILPOINTS=1
  LDSAN := -fsanitize=address,undefined
else
  OPT := -O2 -g
  DEFS :=
  LDSAN :=
endif
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(DEFS) -DSETTLE_VERSION='"$(VERSION)"' -Ilibsettle $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
LDFLAGS_ALL = $(LDSAN) $(LDFLAGS)

LIB_SRCS := $(shell find libsettle -name '*.c' | sort)
CMD_SRCS := $(sort $(wildcard cmd/*.c))
SANDBOX_SRCS := $(sort $(wildcard tests/sandbox/*.c))
TEST_SRCS := $(shell find tests -name '*.c' -not -path 'tests/sandbox/*' | sort)

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CMD_BINS := $(CMD_SRCS:cmd/%.c=$(BUILD)/bin/%)
SANDBOX_OBJS := $(SANDBOX_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libsettle.a
SANDBOX := $(BUILD)/bin/settle-sandbox
TESTS := $(BUILD)/tests/settle-tests

# Keep object files make considers intermediate (cmd/*.o), so a second
# `make` relinks nothing.
.SECONDARY:

.PHONY: all lib programs tests deps check _check demo _demo bench _bench db-up db-down clean install man
all: lib programs $(if $(SANDBOX_SRCS),$(SANDBOX))

lib: $(LIB)
programs: $(CMD_BINS)
tests: $(TESTS) $(if $(SANDBOX_SRCS),$(SANDBOX))

# V=1 shows the whole command lines.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) $(CRIT_CFLAGS) -Itests -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/cmd/%.o $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS) -lpthread

$(SANDBOX): $(SANDBOX_OBJS) $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(SANDBOX_OBJS) $(LIB) $(PKG_LIBS) -lpthread

$(TESTS): $(TEST_OBJS) $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(TEST_OBJS) $(LIB) $(PKG_LIBS) $(CRIT_LIBS) -lpthread

# ---------------------------------------------------------------- packages
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing$$missing" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	else \
	  echo "deps: missing Debian packages; run: sudo apt-get update && sudo apt-get install -y$$missing" >&2; exit 1; \
	fi

# ---------------------------------------------------------------- database
db-up:
	@scripts/db.sh up
db-down:
	@scripts/db.sh down

# ---------------------------------------------------------------- tests
# The sanitizer build lives in build/check so it never mixes with build/.
check: deps
	@$(MAKE) --no-print-directory _check BUILD=build/check VARIANT=check

_check: lib programs tests man
	@scripts/check.sh $(BUILD)

# ---------------------------------------------------------------- demo, bench
demo: deps
	@$(MAKE) --no-print-directory _demo

_demo: all
	@scripts/demo.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory _bench

_bench: all
	@scripts/bench.sh $(BUILD)

# ---------------------------------------------------------------- install
man:
	@mkdir -p $(BUILD)/man
	@for f in man/*.scd; do [ -e "$$f" ] || continue; scdoc < $$f > $(BUILD)/man/$$(basename $${f%.scd}) || exit 1; done

install: all man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/settle/schema
	install -m 0755 $(CMD_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 schema/*.sql $(DESTDIR)$(PREFIX)/share/settle/schema/
	install -d $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 0644 $(BUILD)/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 $(BUILD)/man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -d $(DESTDIR)$(PREFIX)/lib/settle/jobs $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0755 jobs/* $(DESTDIR)$(PREFIX)/lib/settle/jobs/
	install -m 0644 systemd/*.service systemd/*.timer $(DESTDIR)$(PREFIX)/lib/systemd/system/

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(CMD_BINS:$(BUILD)/bin/%=$(BUILD)/obj/cmd/%.d) $(SANDBOX_OBJS:.o=.d) $(TEST_OBJS:.o=.d)
