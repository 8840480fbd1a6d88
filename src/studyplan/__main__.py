from studyplan.launch import run

run()
