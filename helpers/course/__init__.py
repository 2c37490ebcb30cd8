"""What a course has around its lessons: the quiz banks and grading (`quiz`), the trainee's kept
progress (`progress`), the certificate (`certificate`), the trainee's own copy of the lessons
(`workspace`), the trainer's class summary (`trainer`) and the JupyterLab settings
(`lab_settings`).

May use the engine and the lessons (the certificate prints a capstone report); never the
widget apps or ipywidgets.
"""
